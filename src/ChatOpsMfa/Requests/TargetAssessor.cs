using System.Globalization;
using ChatOpsMfa.Okta;
using ChatOpsMfa.Storage;
using Microsoft.Extensions.Options;

namespace ChatOpsMfa.Requests;

/// <summary>
/// Looks at the person whose MFA would be reset, before a request exists: their Okta profile, factors and admin
/// roles, and how often they were reset lately. Privileged accounts and repeated resets need more approvers (or are
/// refused), and anything Okta cannot tell us counts against the request, never for it.
/// </summary>
public sealed class TargetAssessor(
    Func<OktaClient> oktaClients,
    RequestStore store,
    IOptionsMonitor<ApprovalOptions> approvals,
    IOptionsMonitor<LimitsOptions> limits,
    SignInRiskReader risk,
    TimeProvider time)
{
    public async Task<TargetAssessment> AssessAsync(OktaUserProfile target, string matchedBy, CancellationToken cancellationToken)
    {
        var okta = oktaClients();
        var options = approvals.CurrentValue;
        var factors = await okta.ListFactorsAsync(target.Id, cancellationToken);
        var roles = await okta.ListAssignedRoleTypesAsync(target.Id, cancellationToken);
        var protectedMember = false;
        var unknown = roles.IsSuccess ? null : "Okta did not say whether this account has admin roles";
        if (!string.IsNullOrWhiteSpace(options.ProtectedGroupId))
        {
            var member = await okta.IsMemberOfGroupAsync(target.Id, options.ProtectedGroupId, cancellationToken);
            protectedMember = member.IsSuccess && member.Value;
            unknown ??= member.IsSuccess ? null : "Okta did not say whether this account is in the protected group";
        }

        var signIns = await risk.ReadAsync(target.Id, cancellationToken);
        var now = time.GetUtcNow();
        var resets = await store.CompletedResetTimesAsync(target.Id, now.AddDays(-30), cancellationToken);
        var insight = new TargetInsight(
            target.Email,
            target.Title,
            target.Department,
            target.Manager,
            target.Status,
            target.LastLogin,
            factors.IsSuccess ? factors.Value.Select(f => f.FactorType).Distinct().ToArray() : ["(Okta did not say)"],
            roles.IsSuccess ? roles.Value : [],
            protectedMember,
            resets.Count,
            resets.Count > 0 ? resets.Max() : null,
            matchedBy,
            signIns);

        var required = 1;
        var notes = new List<string>();
        if (insight.IsPrivileged || unknown is not null)
        {
            var why = unknown is not null ? $"{unknown}, so it is treated as privileged"
                : insight.AdminRoles.Count > 0 ? $"Privileged account (Okta admin role {string.Join(", ", insight.AdminRoles)})"
                : "Privileged account (member of the protected group)";
            if (options.PrivilegedPolicy == PrivilegedPolicy.Deny)
            {
                return new TargetAssessment(insight, 0, null,
                    $"{why}. MFA for privileged accounts is not reset through chat; please contact the security team.");
            }

            required = Math.Max(required, options.PrivilegedApprovals);
            notes.Add($"{why}: needs {required} approvals from different people.");
        }

        var lastDay = resets.Where(at => at > now.AddHours(-24)).ToList();
        if (lastDay.Count >= limits.CurrentValue.ResetsPerUserPerDay)
        {
            required = Math.Max(required, 2);
            notes.Add(string.Create(CultureInfo.InvariantCulture,
                $"MFA was already reset {lastDay.Count} time(s) in the last 24 hours (last at {lastDay.Max():yyyy-MM-dd HH:mm} UTC): needs two approvers."));
        }

        return new TargetAssessment(insight, required, notes.Count > 0 ? string.Join(" ", notes) : null, null);
    }
}
