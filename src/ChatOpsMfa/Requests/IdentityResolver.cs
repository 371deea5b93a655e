using ChatOpsMfa.Channels;
using ChatOpsMfa.Okta;

namespace ChatOpsMfa.Requests;

/// <summary>Maps a chat user to their Okta account by the email their chat platform vouches for.</summary>
public sealed class IdentityResolver(Func<OktaClient> oktaClients)
{
    public async Task<IdentityMatch> ResolveAsync(ChatUser user, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(user.Email))
        {
            return IdentityMatch.NotFound(
                "Your chat account has no email address, so I can't find your Okta account. Please call the help desk.");
        }

        var result = await oktaClients().GetUserAsync(user.Email, cancellationToken);
        if (!result.IsSuccess)
        {
            return IdentityMatch.NotFound(result.Error.IsNotFound
                ? $"No Okta account has the login {user.Email}. Please call the help desk."
                : $"I couldn't look up your Okta account: {result.Error.Message}");
        }

        var profile = result.Value;
        return IdentityMatch.Found(
            new TargetUser(profile.Id, profile.Login ?? user.Email, profile.DisplayName),
            $"chat email {user.Email} = Okta login");
    }
}
