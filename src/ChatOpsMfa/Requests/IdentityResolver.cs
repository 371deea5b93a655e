using ChatOpsMfa.Channels;
using ChatOpsMfa.Okta;

namespace ChatOpsMfa.Requests;

/// <summary>Maps a chat user to their Okta account by the email their chat platform vouches for.</summary>
public sealed class IdentityResolver(Func<OktaClient> oktaClients)
{
    public async Task<IdentityMatch> ResolveAsync(ChatUser user, CancellationToken cancellationToken)
    {
        if (EmailOf(user) is not { } email)
        {
            return IdentityMatch.NotFound(
                "Your chat account has no email address, so I can't find your Okta account. Please call the help desk.");
        }

        var result = await oktaClients().GetUserAsync(email, cancellationToken);
        if (!result.IsSuccess)
        {
            return IdentityMatch.NotFound(result.Error.IsNotFound
                ? $"No Okta account has the login {email}. Please call the help desk."
                : $"I couldn't look up your Okta account: {result.Error.Message}");
        }

        var profile = result.Value;
        return IdentityMatch.Found(new TargetUser(profile.Id, profile.Login ?? email, profile.DisplayName), profile, $"chat email {email} = Okta login");
    }

    /// <summary>
    /// Who someone who wants to decide (or to ask on another's behalf) is in Okta. Fails closed: no email, no
    /// such user, an Okta error, or a suspended or deprovisioned account all leave them unidentified, with the reason
    /// in words for them.
    /// </summary>
    public async Task<IdentityMatch> IdentifyAsync(ChatUser user, CancellationToken cancellationToken)
    {
        if (EmailOf(user) is not { } email)
        {
            return IdentityMatch.NotFound("your chat account has no email address");
        }

        var result = await oktaClients().GetUserAsync(email, cancellationToken);
        if (!result.IsSuccess)
        {
            return IdentityMatch.NotFound(result.Error.IsNotFound
                ? "no Okta account has your chat email as its login"
                : $"Okta could not be asked: {result.Error.Message}");
        }

        var profile = result.Value;
        if (profile.Status is "SUSPENDED" or "DEPROVISIONED")
        {
            return IdentityMatch.NotFound($"your Okta account is {profile.Status}");
        }

        return IdentityMatch.Found(new TargetUser(profile.Id, profile.Login ?? email, profile.DisplayName), profile, $"chat email {email} = Okta login");
    }

    private static string? EmailOf(ChatUser user) => string.IsNullOrWhiteSpace(user.Email) ? null : user.Email.Trim();
}
