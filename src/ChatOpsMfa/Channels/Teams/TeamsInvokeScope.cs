namespace ChatOpsMfa.Channels.Teams;

/// <summary>
/// Marks the work done for one <c>adaptiveCard/action</c> invoke. The core saves a decision before it sends any
/// chat message, so the first Connector call made for the invoke means the transition is stored: the invoke is
/// answered then, and the Connector work carries on in the background instead of holding the click up.
/// </summary>
internal sealed class TeamsInvokeScope
{
    private static readonly AsyncLocal<TeamsInvokeScope?> CurrentScope = new();

    private readonly TaskCompletionSource _connectorReached = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public static TeamsInvokeScope? Current => CurrentScope.Value;

    /// <summary>Completes when the work for this invoke first calls the Connector.</summary>
    public Task ConnectorReached => _connectorReached.Task;

    /// <summary>Runs <paramref name="work"/> inside this scope (on its own flow, so the caller can answer meanwhile).</summary>
    public Task<T> RunAsync<T>(Func<Task<T>> work) => Task.Run(async () =>
    {
        CurrentScope.Value = this;
        return await work();
    });

    public static void NoteConnectorCall() => CurrentScope.Value?._connectorReached.TrySetResult();
}
