using System.Net;
using Microsoft.Extensions.Logging;

namespace ChatOpsMfa.Channels.Local;

/// <summary>
/// Defence in depth for the local chat: its token endpoint is unauthenticated by design, so it must never answer
/// another machine, even if the host was started listening on a public address. An unknown peer is refused too.
/// The Host header must name this machine as well, so a web page using DNS rebinding cannot reach the chat
/// through the developer's own browser.
/// </summary>
internal sealed class LoopbackOnlyMiddleware(RequestDelegate next, ILogger<LoopbackOnlyMiddleware> logger)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (IsLoopback(context.Connection.RemoteIpAddress) && IsLoopbackHost(context.Request.Host.Host))
        {
            return next(context);
        }

        LocalChatLog.NonLoopbackRefused(
            logger, context.Request.Path, context.Connection.RemoteIpAddress?.ToString() ?? "(unknown)", context.Request.Host.Host);
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        return context.Response.WriteAsJsonAsync(
            DirectLineError.Body("Forbidden", "The local chat only answers requests from this machine."), context.RequestAborted);
    }

    public static bool IsLoopbackHost(string host) =>
        string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host, out var address) && IsLoopback(address));

    public static bool IsLoopback(IPAddress? address) =>
        address is not null && IPAddress.IsLoopback(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);
}
