using ChatOpsMfa.Audit;
using ChatOpsMfa.Cards;
using ChatOpsMfa.Channels.Local;
using ChatOpsMfa.Channels.Slack;
using ChatOpsMfa.Channels.Teams;
using ChatOpsMfa.Hosting;
using ChatOpsMfa.Okta;
using ChatOpsMfa.Requests;
using ChatOpsMfa.Storage;
using ChatOpsMfa.Telemetry;

if (args is ["workflow", ..])
{
    return await WorkflowCommand.RunAsync(args[1..]);
}

var builder = WebApplication.CreateBuilder(args);
builder.RefuseLocalModeOutsideDevelopment();
builder.AddStorage();
builder.AddOkta();
builder.AddTelemetry();
builder.AddMfaResetRequests();
builder.Services.AddSingleton<AdaptiveCardRenderer>();
builder.AddLocalChat();
builder.Services.AddSingleton<ILocalCardRenderer, LocalCardRenderer>();
builder.ShowOktaModeInLocalChat();
builder.AddTeams();
builder.AddSlack();
builder.AddAuditExport();

var app = builder.Build();
app.MapLocalChat();
app.MapTeamsEndpoints();
app.MapSlackEndpoints();
app.MapAuditExport();
app.MapGet("/healthz", () => Results.Ok(new { status = "ok" }));
app.MapTelemetry();
await app.RunAsync();
return 0;

/// <summary>The host's entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
