using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Logging;

namespace ChatOpsMfa.Channels.Local;

/// <summary>
/// Once the server has bound its addresses, checks that every one is on loopback; otherwise start-up fails. The
/// request middleware refuses other machines anyway: this makes a wrong <c>Urls</c> a start-up error, not a log line.
/// Servers without network addresses (the in-memory test server) report none and pass.
/// </summary>
internal sealed class LoopbackBindingCheck(IServer server, ILogger<LoopbackBindingCheck> logger) : IHostedLifecycleService
{
    public Task StartedAsync(CancellationToken cancellationToken)
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var outside = addresses.Where(address => !IsLoopbackBinding(address)).ToList();
        foreach (var address in outside)
        {
            LocalChatLog.NonLoopbackBinding(logger, address);
        }

        if (outside.Count > 0)
        {
            throw new InvalidOperationException(
                $"LocalChat:Enabled is true but the server listens on {string.Join(", ", outside)}, which is not a loopback address. " +
                "The local web chat has no real authentication: bind it to 127.0.0.1 or [::1] only (Urls), or set LocalChat:Enabled=false.");
        }

        return Task.CompletedTask;
    }

    /// <summary>True for <c>localhost</c> and loopback IP addresses; false for wildcards, other addresses and sockets.</summary>
    public static bool IsLoopbackBinding(string address)
    {
        BindingAddress binding;
        try
        {
            binding = BindingAddress.Parse(address);
        }
        catch (FormatException)
        {
            return false;
        }

        if (binding.IsUnixPipe || binding.IsNamedPipe)
        {
            return false;
        }

        var host = binding.Host.Trim('[', ']');
        return string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
