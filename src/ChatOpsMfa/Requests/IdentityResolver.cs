using ChatOpsMfa.Channels;
using ChatOpsMfa.Okta;
using Microsoft.Extensions.Options;

namespace ChatOpsMfa.Requests;

/// <summary>
/// Maps a chat user to their Okta account: by the email their chat platform vouches for (<c>Identity:Binding=Email</c>),
/// or only through an Okta profile attribute that holds their immutable chat id (<c>OktaAttribute</c>, no email
/// fallback: an email can be changed or reused, the platform's user id cannot).
/// </summary>
public sealed class IdentityResolver(Func<OktaClient> oktaClients, IOptionsMonitor<IdentityOptions> options)
{
    public async Task<IdentityMatch> ResolveAsync(ChatUser user, CancellationToken cancellationToken)
    {
        var (profile, how, problem) = await LookUpAsync(user, forSelf: true, cancellationToken);
        return profile is null
            ? IdentityMatch.NotFound(problem!)
            : IdentityMatch.Found(new TargetUser(profile.Id, profile.Login ?? profile.Id, profile.DisplayName), profile, how!);
    }

    /// <summary>
    /// Who someone who wants to decide (or to ask on another's behalf) is in Okta. Fails closed: no email, no
    /// such user, an Okta error, or a suspended or deprovisioned account all leave them unidentified, with the reason
    /// in words for them.
    /// </summary>
    public async Task<IdentityMatch> IdentifyAsync(ChatUser user, CancellationToken cancellationToken)
    {
        var (profile, how, problem) = await LookUpAsync(user, forSelf: false, cancellationToken);
        if (profile is null)
        {
            return IdentityMatch.NotFound(problem!);
        }

        if (profile.Status is "SUSPENDED" or "DEPROVISIONED")
        {
            return IdentityMatch.NotFound($"your Okta account is {profile.Status}");
        }

        return IdentityMatch.Found(new TargetUser(profile.Id, profile.Login ?? profile.Id, profile.DisplayName), profile, how!);
    }

    /// <summary>The chat id an Okta user's profile names for <paramref name="channel"/>, with the attribute binding; else null.</summary>
    public string? ChatIdOf(OktaUserProfile profile, string channel) =>
        options.CurrentValue.Binding == IdentityBinding.OktaAttribute && options.CurrentValue.AttributeFor(channel) is { } attribute
            ? profile.Attribute(attribute)
            : null;

    public IdentityBinding Binding => options.CurrentValue.Binding;

    private async Task<(OktaUserProfile? Profile, string? How, string? Problem)> LookUpAsync(
        ChatUser user, bool forSelf, CancellationToken cancellationToken)
    {
        var current = options.CurrentValue;
        if (current.Binding == IdentityBinding.OktaAttribute)
        {
            return await LookUpByAttributeAsync(user, current, forSelf, cancellationToken);
        }

        if (string.IsNullOrWhiteSpace(user.Email))
        {
            return (null, null, forSelf
                ? "Your chat account has no email address, so I can't find your Okta account. Please call the help desk."
                : "your chat account has no email address");
        }

        var email = user.Email.Trim();
        var result = await oktaClients().GetUserAsync(email, cancellationToken);
        if (!result.IsSuccess)
        {
            return (null, null, result.Error.IsNotFound
                ? forSelf ? $"No Okta account has the login {email}. Please call the help desk." : "no Okta account has your chat email as its login"
                : forSelf ? $"I couldn't look up your Okta account: {result.Error.Message}" : $"Okta could not be asked: {result.Error.Message}");
        }

        return (result.Value, $"chat email {email} = Okta login", null);
    }

    private async Task<(OktaUserProfile? Profile, string? How, string? Problem)> LookUpByAttributeAsync(
        ChatUser user, IdentityOptions current, bool forSelf, CancellationToken cancellationToken)
    {
        var platform = user.Channel switch { "slack" => "Slack user id", "msteams" => "Microsoft Entra object id", _ => "chat id" };
        if (current.AttributeFor(user.Channel) is not { } attribute)
        {
            return (null, null, forSelf
                ? "Chat accounts here are matched to Okta by an Okta profile attribute, and none is configured for this chat platform. Please call the help desk."
                : "chat accounts here are matched to Okta by a profile attribute, and none is configured for this chat platform");
        }

        var result = await oktaClients().SearchUsersAsync(attribute, user.Id, cancellationToken);
        if (!result.IsSuccess)
        {
            return (null, null, forSelf ? $"I couldn't look up your Okta account: {result.Error.Message}" : $"Okta could not be asked: {result.Error.Message}");
        }

        // Exactly one: two Okta users claiming the same chat id are a configuration error, never a guess.
        return result.Value.Count switch
        {
            1 => (result.Value[0], $"{platform} {user.Id} = Okta profile.{attribute}", null),
            0 => (null, null, forSelf
                ? $"No Okta account has your {platform} in profile.{attribute}. Please call the help desk."
                : $"no Okta account has your {platform} in profile.{attribute}"),
            _ => (null, null, forSelf
                ? $"More than one Okta account has your {platform} in profile.{attribute}, so I can't tell which is yours. Please call the help desk."
                : $"more than one Okta account has your {platform} in profile.{attribute}"),
        };
    }
}
