using ChatOpsMfa.Arazzo;

namespace ChatOpsMfa.Requests;

/// <summary>
/// The Arazzo documents the bot runs, loaded and validated once at start-up: the seed
/// <c>reset-and-reenroll-factor</c> as written, and its twin that also carries the factor profile
/// (sms, call and email need a phone number or email that the seed has no input for), and the activation document
/// (activate, poll, resend, remove) that finishes what the enrolment started.
/// </summary>
public sealed class ResetWorkflows
{
    public const string SeedFile = "okta-reset-and-reenroll-factor.arazzo.yaml";
    public const string SeedWorkflowId = "reset-and-reenroll-factor";
    public const string ProfileFile = "okta-reset-and-reenroll-factor-with-profile.arazzo.yaml";
    public const string ProfileWorkflowId = "reset-and-reenroll-factor-with-profile";
    public const string ActivationFile = "okta-factor-activation.arazzo.yaml";
    public const string ActivateWorkflowId = "activate-factor";
    public const string PollWorkflowId = "poll-factor-activation";
    public const string ResendWorkflowId = "resend-enrollment-code";
    public const string RemoveWorkflowId = "remove-factor";
    public const string VerificationFile = "okta-approver-verification.arazzo.yaml";
    public const string SendPushWorkflowId = "send-verify-push";
    public const string PollPushWorkflowId = "poll-verify-push";
    public const string ContainmentFile = "okta-containment.arazzo.yaml";
    public const string RevokeSessionsWorkflowId = "revoke-sessions";
    public const string ReadSystemLogWorkflowId = "read-system-log";

    private ResetWorkflows(
        ArazzoDocument seed, ArazzoDocument withProfile, ArazzoDocument activation, ArazzoDocument verification,
        ArazzoDocument containment, IReadOnlyList<ArazzoDiagnostic> warnings)
    {
        Seed = seed;
        WithProfile = withProfile;
        Activation = activation;
        Verification = verification;
        Containment = containment;
        Warnings = warnings;
    }

    public static string DefaultDirectory => Path.Combine(AppContext.BaseDirectory, "Okta", "workflows");

    public ArazzoDocument Seed { get; }

    public ArazzoDocument WithProfile { get; }

    /// <summary>Activate, poll, resend and remove: what follows the enrolment until Okta says ACTIVE.</summary>
    public ArazzoDocument Activation { get; }

    /// <summary>The approver's Okta Verify step-up: send a push, poll its transaction.</summary>
    public ArazzoDocument Verification { get; }

    /// <summary>What follows a reset: revoke the person's sessions, read their System Log.</summary>
    public ArazzoDocument Containment { get; }

    /// <summary>Lint warnings, e.g. the seed's bare <c>SSWS $inputs.oktaApiToken</c>, logged at start-up.</summary>
    public IReadOnlyList<ArazzoDiagnostic> Warnings { get; }

    /// <summary>Loads every document; an invalid one stops start-up with its diagnostics.</summary>
    public static async Task<ResetWorkflows> LoadAsync(string directory, CancellationToken cancellationToken)
    {
        var seed = await LoadOneAsync(Path.Combine(directory, SeedFile), cancellationToken);
        var withProfile = await LoadOneAsync(Path.Combine(directory, ProfileFile), cancellationToken);
        var activation = await LoadOneAsync(Path.Combine(directory, ActivationFile), cancellationToken);
        var verification = await LoadOneAsync(Path.Combine(directory, VerificationFile), cancellationToken);
        var containment = await LoadOneAsync(Path.Combine(directory, ContainmentFile), cancellationToken);
        return new ResetWorkflows(seed.Document!, withProfile.Document!, activation.Document!, verification.Document!, containment.Document!,
            [.. seed.Diagnostics, .. withProfile.Diagnostics, .. activation.Diagnostics, .. verification.Diagnostics, .. containment.Diagnostics]);
    }

    /// <summary>Which document and workflow to run for a factor.</summary>
    public (ArazzoDocument Document, string WorkflowId) For(FactorRequest factor) =>
        factor.PhoneNumber is not null || factor.Email is not null
            ? (WithProfile, ProfileWorkflowId)
            : (Seed, SeedWorkflowId);

    private static async Task<ArazzoLoadResult> LoadOneAsync(string path, CancellationToken cancellationToken)
    {
        // The seed names its OpenAPI file as ../openapi/...: the source root is the Okta folder holding both.
        var sourceRoot = Path.GetDirectoryName(Path.GetDirectoryName(Path.GetFullPath(path)));
        var loaded = await ArazzoDocumentLoader.LoadAsync(path, new ArazzoLoadOptions { SourceRoot = sourceRoot }, cancellationToken);
        if (!loaded.IsValid || loaded.Document is null)
        {
            var problems = string.Join(Environment.NewLine, loaded.Diagnostics
                .Where(d => d.Severity == ArazzoSeverity.Error)
                .Select(d => $"  {d.Location}: {d.Message}"));
            throw new InvalidOperationException($"The Okta workflow {path} is not valid:{Environment.NewLine}{problems}");
        }

        return loaded;
    }
}
