namespace ChatOpsMfa.Tests.Teams.Fakes;

/// <summary>
/// Sends a request meant for any host off loopback to the fake instead, keeping its Host header, as if DNS had
/// pointed that name at the fake: what the bot would have sent there is then recorded, nothing leaves the machine.
/// </summary>
public sealed class RedirectToFakeHandler(Uri fake) : DelegatingHandler(new SocketsHttpHandler())
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.RequestUri is { IsLoopback: false } original)
        {
            request.RequestUri = new Uri(fake, original.PathAndQuery);
            request.Headers.Host = original.Host;
        }

        return base.SendAsync(request, cancellationToken);
    }
}
