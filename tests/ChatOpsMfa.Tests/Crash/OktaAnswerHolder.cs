using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ChatOpsMfa.Tests.Crash;

/// <summary>
/// A loopback pass-through in front of the Okta sandbox. Armed, it lets the next enrol call reach Okta and be carried
/// out there, then keeps Okta's answer from the bot for good: the bot can be killed with its enrol call in flight and
/// the factor made, which is what a real outage looks like (Okta finishes what it received; the caller never hears).
/// </summary>
internal sealed partial class OktaAnswerHolder : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpClient _okta;
    private TaskCompletionSource? _held;

    private OktaAnswerHolder(WebApplication app, Uri okta)
    {
        _app = app;
        _okta = new HttpClient { BaseAddress = okta };
    }

    public Uri BaseUrl { get; private set; } = null!;

    public static async Task<OktaAnswerHolder> StartAsync(Uri okta)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var holder = new OktaAnswerHolder(builder.Build(), okta);
        holder._app.Run(holder.ForwardAsync);
        await holder._app.StartAsync();
        var address = holder._app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        holder.BaseUrl = new Uri(address.TrimEnd('/') + "/");
        return holder;
    }

    /// <summary>The next enrol call is carried out by Okta and its answer kept back. Completes once Okta has answered it.</summary>
    public Task HoldNextEnrolAnswer()
    {
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _held = held;
        return held.Task;
    }

    public async ValueTask DisposeAsync()
    {
        using (var stopping = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
        {
            await _app.StopAsync(stopping.Token);
        }

        await _app.DisposeAsync();
        _okta.Dispose();
    }

    private async Task ForwardAsync(HttpContext context)
    {
        var target = context.Features.Get<IHttpRequestFeature>()!.RawTarget;
        using var forwarded = new HttpRequestMessage(new HttpMethod(context.Request.Method), target.TrimStart('/'));
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        if (body.Length > 0)
        {
            forwarded.Content = new ByteArrayContent(body.ToArray());
            if (context.Request.ContentType is { } contentType)
            {
                forwarded.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            }
        }

        foreach (var (name, value) in context.Request.Headers)
        {
            if (!name.Equals("Host", StringComparison.OrdinalIgnoreCase) && !name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase))
            {
                forwarded.Headers.TryAddWithoutValidation(name, value.ToArray());
            }
        }

        // Okta carries the call out whatever happens to the caller afterwards.
        using var answer = await _okta.SendAsync(forwarded, CancellationToken.None);
        var answerBody = await answer.Content.ReadAsByteArrayAsync(CancellationToken.None);
        if (context.Request.Method == "POST" && EnrolPath().IsMatch(context.Request.Path) && Interlocked.Exchange(ref _held, null) is { } held)
        {
            held.SetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                // The bot died waiting, as intended: its answer is lost.
            }

            return;
        }

        context.Response.StatusCode = (int)answer.StatusCode;
        foreach (var (name, values) in answer.Headers.Concat(answer.Content.Headers))
        {
            if (!name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase) && !name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                context.Response.Headers[name] = values.ToArray();
            }
        }

        await context.Response.Body.WriteAsync(answerBody, context.RequestAborted);
    }

    [GeneratedRegex("^/api/v1/users/[^/]+/factors$")]
    private static partial Regex EnrolPath();
}
