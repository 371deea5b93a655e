namespace ChatOpsMfa.Channels;

/// <summary>
/// A chat platform would not take a message. <see cref="Permanent"/> says that trying again cannot help (the
/// conversation is gone, the bot was removed); otherwise the outbox keeps trying.
/// </summary>
public sealed class ChatDeliveryException(string message, bool permanent, Exception? inner = null) : Exception(message, inner)
{
    public bool Permanent { get; } = permanent;
}
