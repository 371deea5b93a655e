using ChatOpsMfa.Channels;

namespace ChatOpsMfa.Requests;

/// <summary>Cards posted for the first time, whose references must be stored with the request.</summary>
public sealed record PostedCards(MessageRef? Approval, MessageRef? Status)
{
    public bool Any => Approval is not null || Status is not null;
}
