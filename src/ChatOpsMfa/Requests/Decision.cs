using ChatOpsMfa.Channels;

namespace ChatOpsMfa.Requests;

/// <summary>Something a person decided about a request: who (chat user and Okta user id), what and when.</summary>
public sealed record Decision(RequestTrigger Action, ChatUser By, DateTimeOffset At, string? OktaUserId = null);
