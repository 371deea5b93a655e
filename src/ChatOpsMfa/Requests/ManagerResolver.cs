using ChatOpsMfa.Channels;
using ChatOpsMfa.Okta;
using Microsoft.Extensions.Options;

namespace ChatOpsMfa.Requests;

/// <summary>
/// Finds the target's manager for <c>Approvals:ManagerConfirmation</c>: their Okta user from the target's
/// <c>managerId</c>, then their chat account on the request's platform (by the Okta attribute that holds their chat id,
/// or by their email). Whatever is missing becomes the reason the request is blocked.
/// </summary>
public sealed class ManagerResolver(
    Func<OktaClient> oktaClients, IdentityResolver identities, ChannelRegistry channels, IOptionsMonitor<ApprovalOptions> approvals)
{
    /// <summary>Whether a request for this target needs the manager's confirmation.</summary>
    public bool IsRequired(TargetInsight insight) => approvals.CurrentValue.ManagerConfirmation switch
    {
        ManagerConfirmation.Required => true,
        ManagerConfirmation.RequiredForPrivileged => insight.IsPrivileged,
        _ => false,
    };

    public async Task<ManagerCheck> ResolveAsync(OktaUserProfile target, string channelId, CancellationToken cancellationToken)
    {
        var whose = $"{target.DisplayName}'s manager";
        if (string.IsNullOrWhiteSpace(target.ManagerId))
        {
            return ManagerCheck.Unreachable(whose, $"{target.DisplayName} has no manager in Okta (profile.managerId is empty), so nobody can confirm it is them");
        }

        var found = await oktaClients().GetUserAsync(target.ManagerId, cancellationToken);
        if (!found.IsSuccess)
        {
            return ManagerCheck.Unreachable(whose, found.Error.IsNotFound
                ? $"{whose} (Okta user {target.ManagerId}) does not exist in Okta"
                : $"Okta could not say who {whose} is ({found.Error.Message})");
        }

        var manager = found.Value;
        if (manager.Status is not ("ACTIVE" or "PASSWORD_EXPIRED" or "LOCKED_OUT" or "RECOVERY"))
        {
            return ManagerCheck.Unreachable(manager.DisplayName, $"{whose}, {manager.DisplayName}, has an Okta account that is {manager.Status}");
        }

        if (channels.Find(channelId) is not { } channel)
        {
            return ManagerCheck.Unreachable(manager.DisplayName, $"there is no chat channel '{channelId}' to reach {manager.DisplayName} in");
        }

        ChatUser? chatUser;
        if (identities.Binding == IdentityBinding.OktaAttribute)
        {
            chatUser = identities.ChatIdOf(manager, channelId) is { Length: > 0 } id
                ? new ChatUser(id, manager.DisplayName, manager.Email) { Channel = channelId }
                : null;
            if (chatUser is null)
            {
                return ManagerCheck.Unreachable(manager.DisplayName,
                    $"{whose}, {manager.DisplayName}, has no chat id in their Okta profile, so they cannot be reached in chat");
            }
        }
        else
        {
            var email = manager.Email ?? manager.Login;
            chatUser = email is null ? null : await channel.FindUserByEmailAsync(email, cancellationToken);
            if (chatUser is null)
            {
                return ManagerCheck.Unreachable(manager.DisplayName,
                    $"{whose}, {manager.DisplayName}, could not be found in chat by their email, so they cannot be asked to confirm");
            }
        }

        return new ManagerCheck(manager.Id, manager.DisplayName, chatUser with { Channel = channelId }, null);
    }
}
