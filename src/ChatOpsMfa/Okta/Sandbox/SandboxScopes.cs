namespace ChatOpsMfa.Okta.Sandbox;

/// <summary>
/// The OAuth scope each sandbox operation needs, from the <c>security: oauth2</c> of the operation in Okta's
/// Management API description (a test checks this table against tests/specs/okta/management-minimal.yaml). A
/// <c>.manage</c> scope is not taken to imply <c>.read</c>: the fake is no more lenient than the description says.
/// </summary>
internal static class SandboxScopes
{
    public static readonly IReadOnlyDictionary<string, string> ByOperation = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["listUsers"] = "okta.users.read",
        ["getUser"] = "okta.users.read",
        ["resetFactors"] = "okta.users.manage",
        ["listFactors"] = "okta.users.read",
        ["enrollFactor"] = "okta.users.manage",
        ["getFactor"] = "okta.users.read",
        ["unenrollFactor"] = "okta.users.manage",
        ["activateFactor"] = "okta.users.manage",
        ["verifyFactor"] = "okta.users.manage",
        ["getFactorTransactionStatus"] = "okta.users.read",
        ["listLogEvents"] = "okta.logs.read",
        ["resendEnrollFactor"] = "okta.users.manage",
        ["listAssignedRolesForUser"] = "okta.roles.read",
        ["listUserGroups"] = "okta.users.read",
        ["revokeUserSessions"] = "okta.users.manage",
    };

    /// <summary>The push factor's links (not operations of the description) count as the operation they belong to.</summary>
    public static string? For(string? operationId) => operationId switch
    {
        null => null,
        "pollFactorActivation" => "okta.users.manage",
        _ when operationId.StartsWith("sendFactorActivationLink-", StringComparison.Ordinal) => "okta.users.manage",
        "getFactorQrCode" => "okta.users.read",
        _ => ByOperation.TryGetValue(operationId, out var scope) ? scope : null,
    };
}
