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

        return await FindAsync(user.Email, $"chat email {user.Email} = Okta login", "your Okta account", cancellationToken);
    }

    /// <summary>Looks up someone a help-desk member named by Okta login or email.</summary>
    public Task<IdentityMatch> ResolveLoginAsync(string login, CancellationToken cancellationToken) =>
        FindAsync(login, $"named by login {login} (on behalf)", $"an Okta account for {login}", cancellationToken);

    private async Task<IdentityMatch> FindAsync(string login, string how, string what, CancellationToken cancellationToken)
    {
        var result = await oktaClients().GetUserAsync(login, cancellationToken);
        if (!result.IsSuccess)
        {
            return IdentityMatch.NotFound(result.Error.IsNotFound
                ? $"No Okta account has the login {login}. Please call the help desk."
                : $"I couldn't look up {what}: {result.Error.Message}");
        }

        var profile = result.Value;
        return IdentityMatch.Found(new TargetUser(profile.Id, profile.Login ?? login, profile.DisplayName), profile, how);
    }
}
