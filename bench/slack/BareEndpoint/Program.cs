// The ceiling for bench/slack's burst mode: plain Kestrel answering 200 to POST /api/slack/commands with no work at all
// (no signature check, no parsing, no logging), with the SDK's defaults for a web app. Loopback only.
// Usage: dotnet BareEndpoint.dll (the URL comes from the Urls environment variable, as for the bot)
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
var app = builder.Build();
app.MapPost("/api/slack/commands", () => Results.Ok());
app.MapGet("/healthz", () => Results.Ok());
await app.RunAsync();
