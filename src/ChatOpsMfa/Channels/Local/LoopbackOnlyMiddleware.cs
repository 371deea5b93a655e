using System.Net;
using Microsoft.Extensions.Logging;

namespace ChatOpsMfa.Channels.Local;

/// <summary>
/// Defence in depth for the local chat: its token endpoint is unauthenticated by design, so it must never answer
/// another machine, even if the host was started listening on a public address. An unknown peer is refused too.
/// The Host header must name this machine as well, so a web page using DNS rebinding cannot reach the chat
/// through the developer's own browser. A request that names a proxy is refused: a reverse proxy on this machine
/// connects from loopback, so behind one every visitor would look local.
/// </summary>
internal sealed class LoopbackOnlyMiddleware(RequestDelegate next, ILogger<LoopbackOnlyMiddleware> logger)
{
    /// <summary>
    /// Headers a proxy adds (RFC 7239 <c>Forwarded</c>, RFC 9110 <c>Via</c>, the de-facto <c>X-Forwarded-*</c> and
    /// <c>X-Real-IP</c>), and the <c>X-Original-*</c> ones ASP.NET Core's forwarded-headers middleware leaves after
    /// consuming them. A browser talking straight to the page sends none of them.
    /// </summary>
    public static readonly string[] ProxyHeaders =
    [
        "Forwarded", "Via", "X-Forwarded-For", "X-Forwarded-Host", "X-Forwarded-Proto", "X-Real-IP",
        "X-Original-For", "X-Original-Host", "X-Original-Proto",
    ];

    public Task InvokeAsync(HttpContext context)
    {
        if (ProxyHeaders.FirstOrDefault(context.Request.Headers.ContainsKey) is { } proxyHeader)
        {
            LocalChatLog.ProxiedRefused(logger, context.Request.Path, proxyHeader);
            return Refuse(context, $"The local chat refuses requests relayed by a proxy (the request carries '{proxyHeader}'); open it on this machine directly.");
        }

        if (IsLoopback(context.Connection.RemoteIpAddress) && IsLoopbackHost(context.Request.Host.Host))
        {
            return next(context);
        }

        LocalChatLog.NonLoopbackRefused(
            logger, context.Request.Path, context.Connection.RemoteIpAddress?.ToString() ?? "(unknown)", context.Request.Host.Host);
        return Refuse(context, "The local chat only answers requests from this machine.");
    }

    public static bool IsLoopbackHost(string host) =>
        string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host, out var address) && IsLoopback(address));

    public static bool IsLoopback(IPAddress? address) =>
        address is not null && IPAddress.IsLoopback(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);

    private static Task Refuse(HttpContext context, string message)
    {
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        return context.Response.WriteAsJsonAsync(DirectLineError.Body("Forbidden", message), context.RequestAborted);
    }
}
