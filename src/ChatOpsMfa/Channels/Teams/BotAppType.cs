namespace ChatOpsMfa.Channels.Teams;

/// <summary>The Azure Bot registration's kind, as the Bot Framework SDK's <c>MicrosoftAppType</c> names it.</summary>
public enum BotAppType
{
    MultiTenant,
    SingleTenant,
    UserAssignedMSI,
}
