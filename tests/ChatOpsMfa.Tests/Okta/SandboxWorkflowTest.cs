using ChatOpsMfa.Okta.Sandbox;

namespace ChatOpsMfa.Tests.Okta;

/// <summary>
/// What the workflow-document tests share: a fresh sandbox on a fake clock, and a plain HTTP client for the Arazzo
/// runner (the documents put the Authorization header in themselves).
/// </summary>
public abstract class SandboxWorkflowTest : IAsyncLifetime
{
    protected Microsoft.Extensions.Time.Testing.FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    protected OktaSandbox Sandbox { get; private set; } = null!;

    protected HttpClient Http { get; private set; } = null!;

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        Sandbox = await OktaSandbox.StartNewAsync(timeProvider: Clock, cancellationToken: Ct);
        Http = new HttpClient { BaseAddress = Sandbox.BaseUrl };
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Sandbox.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
