using ChatOpsMfa.Channels;

namespace ChatOpsMfa.Requests;

/// <summary>Something a person decided about a request: who, what and when.</summary>
public sealed record Decision(RequestTrigger Action, ChatUser By, DateTimeOffset At);
