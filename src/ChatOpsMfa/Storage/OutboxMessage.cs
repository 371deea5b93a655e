namespace ChatOpsMfa.Storage;

/// <summary>What kind of chat message an outbox row stands for.</summary>
public enum OutboxKind
{
    /// <summary>Post or update the approval card in the support channel, rendered from the request as it is then.</summary>
    ApprovalCard,

    /// <summary>Post or update the requester's status card.</summary>
    StatusCard,

    /// <summary>A line in the approval card's thread; the payload is the text (never a secret).</summary>
    ThreadReply,

    /// <summary>The owner's private key card (factor id, setup key, QR code); the payload is the activation data, encrypted at rest.</summary>
    Result,

    /// <summary>Tells the person being reset that the help desk asked on their behalf, with a button to object.</summary>
    TargetNotice,

    /// <summary>Post or update the owner's activation card (type the code, attempts left, the ending).</summary>
    ActivationCard,

    /// <summary>Replace the message that held the setup key or QR code, and delete any file the platform kept of it.</summary>
    KeyRemoval,

    /// <summary>Post or update the manager's private "confirm it is them" card.</summary>
    ManagerCard,

    /// <summary>A thread line that mentions the approvers (the reminder); the payload is the text.</summary>
    Reminder,
}

/// <summary>A chat message the bot owes someone, saved with the state change that caused it.</summary>
public sealed record OutboxMessage(OutboxKind Kind, string? Payload = null);

/// <summary>A stored outbox row, with its delivery history.</summary>
public sealed record PendingMessage(long Id, string RequestId, OutboxKind Kind, string? Payload, int Attempts, DateTimeOffset NextAttemptAt);
