namespace ChatOpsMfa.Channels.Teams.Auth;

/// <summary>
/// What the token said, once its signature, issuer, audience and lifetime hold. The channel and serviceUrl checks
/// need the activity, so they run after the body is read, through <see cref="ProblemWith"/>.
/// </summary>
internal sealed record TokenCheck(string? Failure, IReadOnlyList<string>? Endorsements = null, string? ServiceUrlClaim = null, bool FromBotFramework = true)
{
    public bool Succeeded => Failure is null;

    public static TokenCheck Refused(string reason) => new(reason);

    /// <summary>Null when the activity is one this token may carry; otherwise why not.</summary>
    public string? ProblemWith(string? channelId, string? serviceUrl)
    {
        if (string.IsNullOrEmpty(channelId))
        {
            return "the activity has no channelId";
        }

        // Bot Framework keys name the channels they sign for; Entra tenant keys carry no endorsements at all.
        if (FromBotFramework && (Endorsements is null || !Endorsements.Contains(channelId, StringComparer.Ordinal)))
        {
            return $"the signing key is not endorsed for channel '{channelId}'";
        }

        if (FromBotFramework || ServiceUrlClaim is not null)
        {
            if (ServiceUrlClaim is null || !string.Equals(ServiceUrlClaim, serviceUrl, StringComparison.OrdinalIgnoreCase))
            {
                return "the token's serviceurl claim does not match the activity's serviceUrl";
            }
        }

        return null;
    }
}
