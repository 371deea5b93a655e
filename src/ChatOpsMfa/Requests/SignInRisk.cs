namespace ChatOpsMfa.Requests;

/// <summary>
/// What Okta's System Log says about the target's last 7 days, for the approvers: the last sign-in and whether it came
/// from a country new for them, recent password and factor changes, and earlier MFA resets. <see cref="Problem"/> says
/// why the log could not be read; then nothing here can be taken as reassurance.
/// </summary>
public sealed record SignInRisk(
    string? LastSignInCountry,
    string? LastSignInCity,
    DateTimeOffset? LastSignInAt,
    bool? NewCountry,
    DateTimeOffset? PasswordChangedAt,
    DateTimeOffset? FactorsChangedAt,
    int ResetsInLog,
    DateTimeOffset? LastResetInLogAt,
    string? Problem = null)
{
    public static SignInRisk Unknown(string problem) => new(null, null, null, null, null, null, 0, null, problem);
}
