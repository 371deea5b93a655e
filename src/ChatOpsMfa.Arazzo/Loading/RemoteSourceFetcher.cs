using System.Net;
using System.Text;

namespace ChatOpsMfa.Arazzo;

/// <summary>
/// Fetches a remote source description, only from a host the caller allowed: https (http only for a loopback host),
/// no redirect followed, no more than the size limit read, within the time limit.
/// </summary>
internal static class RemoteSourceFetcher
{
    public static async Task<(string? Text, string? Problem)> FetchAsync(Uri url, ArazzoLoadOptions options, CancellationToken cancellationToken)
    {
        if (!options.AllowedRemoteHosts.Contains(url.Host, StringComparer.OrdinalIgnoreCase))
        {
            return (null, $"is remote ({url.Host}); remote source descriptions are refused unless their host is allowed (--allow-remote {url.Host}, or Arazzo:AllowRemoteHosts)");
        }

        if (url.Scheme != Uri.UriSchemeHttps && !(url.Scheme == Uri.UriSchemeHttp && url.IsLoopback))
        {
            return (null, $"is fetched over {url.Scheme}; remote source descriptions are fetched over https only");
        }

        using var ownClient = options.RemoteHttpClient is null ? new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) : null;
        var client = options.RemoteHttpClient ?? ownClient!;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.RemoteTimeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, url);
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                return (null, $"could not be fetched: {url.Host} answered HTTP {(int)response.StatusCode} (redirects are not followed)");
            }

            if (response.Content.Headers.ContentLength > options.MaxSourceBytes)
            {
                return (null, $"is {response.Content.Headers.ContentLength} bytes; the limit is {options.MaxSourceBytes} bytes");
            }

            await using var stream = await response.Content.ReadAsStreamAsync(timeout.Token);
            var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int read;
            while ((read = await stream.ReadAsync(chunk, timeout.Token)) > 0)
            {
                buffer.Write(chunk, 0, read);
                if (buffer.Length > options.MaxSourceBytes)
                {
                    return (null, $"is more than {options.MaxSourceBytes} bytes; the limit is {options.MaxSourceBytes} bytes");
                }
            }

            return (new UTF8Encoding(false).GetString(buffer.GetBuffer(), 0, (int)buffer.Length).TrimStart('\uFEFF'), null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, $"could not be fetched within {options.RemoteTimeout.TotalSeconds:0.###} s");
        }
        catch (HttpRequestException exception)
        {
            return (null, $"could not be fetched from {url.Host} ({exception.HttpRequestError})");
        }
    }
}
