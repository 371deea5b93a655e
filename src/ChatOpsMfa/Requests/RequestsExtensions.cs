using Microsoft.Extensions.DependencyInjection.Extensions;
using ChatOpsMfa.Channels;
using ChatOpsMfa.Okta;
using ChatOpsMfa.Storage;

namespace ChatOpsMfa.Requests;

public static class RequestsExtensions
{
    /// <summary>The channel-neutral MFA-reset core: policy, workflow service, background workers and the bot itself.</summary>
    public static IHostApplicationBuilder AddMfaResetRequests(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ApprovalOptions>().BindConfiguration(ApprovalOptions.Section)
            .Validate(o => o.Timeout > TimeSpan.Zero, "Approvals:Timeout must be positive.")
            .Validate(o => o.PrivilegedApprovals >= 2, "Approvals:PrivilegedApprovals must be at least 2 (distinct approvers).")
            .Validate(o => o.VerificationTimeout > TimeSpan.Zero && o.VerificationTimeout <= TimeSpan.FromMinutes(5),
                "Approvals:VerificationTimeout must be positive and at most 5 minutes (Okta's own push lifetime).")
            .Validate(o => o.VerificationPollInterval > TimeSpan.Zero, "Approvals:VerificationPollInterval must be positive.")
            .Validate(o => o.ReminderAfter > TimeSpan.Zero, "Approvals:ReminderAfter must be positive.")
            .Validate(o => o.ApproverVerification is null || Enum.IsDefined(o.ApproverVerification.Value),
                "Approvals:ApproverVerification must be OktaVerifyPush or None.")
            .Validate(o => Enum.IsDefined(o.ManagerConfirmation), "Approvals:ManagerConfirmation must be None, Required or RequiredForPrivileged.")
            .ValidateOnStart();
        builder.Services.AddOptions<IdentityOptions>().BindConfiguration(IdentityOptions.Section)
            .Validate(o => Enum.IsDefined(o.Binding), "Identity:Binding must be Email or OktaAttribute.")
            .Validate(o => o.Binding != IdentityBinding.OktaAttribute || o.SlackUserIdAttribute is not null || o.TeamsObjectIdAttribute is not null,
                "Identity:Binding=OktaAttribute needs Identity:SlackUserIdAttribute or Identity:TeamsObjectIdAttribute (the Okta profile attribute holding the chat id).")
            .Validate(o => (o.SlackUserIdAttribute is null || OktaClient.IsAttributeName(o.SlackUserIdAttribute))
                    && (o.TeamsObjectIdAttribute is null || OktaClient.IsAttributeName(o.TeamsObjectIdAttribute)),
                "Identity:SlackUserIdAttribute and Identity:TeamsObjectIdAttribute must be Okta profile attribute names (a letter, then letters, digits or underscores).")
            .ValidateOnStart();
        builder.Services.AddOptions<MonitoringOptions>().BindConfiguration(MonitoringOptions.Section)
            .Validate(o => o.WatchWindow >= TimeSpan.Zero, "Monitoring:WatchWindow cannot be negative (zero turns the watch off).")
            .Validate(o => o.PollInterval > TimeSpan.Zero, "Monitoring:PollInterval must be positive.")
            .ValidateOnStart();
        builder.Services.AddOptions<ContainmentOptions>().BindConfiguration(ContainmentOptions.Section).ValidateOnStart();
        builder.Services.AddOptions<ActivationOptions>().BindConfiguration(ActivationOptions.Section)
            .Validate(o => o.Timeout > TimeSpan.Zero, "Activation:Timeout must be positive.")
            .Validate(o => o.MaxResends >= 0, "Activation:MaxResends cannot be negative.")
            .Validate(o => o.PollInterval > TimeSpan.Zero, "Activation:PollInterval must be positive.")
            .Validate(o => o.TotpIssuer is null || (o.TotpIssuer.Length is > 0 and <= 64 && !o.TotpIssuer.Contains(':')),
                "Activation:TotpIssuer must be 1 to 64 characters without a colon (the authenticator app's label separator).")
            .ValidateOnStart();
        builder.Services.AddOptions<OutboxOptions>().BindConfiguration(OutboxOptions.Section)
            .Validate(o => o.RetryDelay > TimeSpan.Zero && o.MaxRetryDelay >= o.RetryDelay && o.PollInterval > TimeSpan.Zero,
                "Outbox:RetryDelay, Outbox:MaxRetryDelay and Outbox:PollInterval must be positive, and MaxRetryDelay at least RetryDelay.")
            .Validate(o => o.LeaseTimeout >= TimeSpan.FromSeconds(1),
                "Outbox:LeaseTimeout must be at least 1 second (a lease is renewed every third of it while its work runs).")
            .ValidateOnStart();
        builder.Services.AddOptions<LimitsOptions>().BindConfiguration(LimitsOptions.Section)
            .Validate(o => o.ResetsPerUserPerDay >= 1, "Limits:ResetsPerUserPerDay must be at least 1.")
            .ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(_ =>
            ResetWorkflows.LoadAsync(ResetWorkflows.DefaultDirectory, CancellationToken.None).GetAwaiter().GetResult());
        builder.Services.AddSingleton<ApprovalPolicy>();
        builder.Services.AddSingleton<ChannelRegistry>();
        builder.Services.AddSingleton<ResetWorkQueue>();
        // Typed Okta clients are short-lived (their handlers rotate); long-lived services make one per use.
        builder.Services.AddSingleton<Func<OktaClient>>(services => services.GetRequiredService<OktaClient>);
        builder.Services.AddSingleton<IdentityResolver>();
        builder.Services.AddSingleton<TargetAssessor>();
        builder.Services.AddSingleton<OnBehalfDrafts>();
        builder.Services.AddSingleton<OktaResetRunner>();
        builder.Services.AddSingleton<OktaActivationRunner>();
        builder.Services.AddSingleton<OktaStepUpRunner>();
        builder.Services.AddSingleton<OktaContainmentRunner>();
        builder.Services.AddSingleton<SignInRiskReader>();
        builder.Services.AddSingleton<ManagerResolver>();
        builder.Services.AddSingleton<RequestNotifier>();
        builder.AddDataProtectionKeyRing();
        builder.Services.AddSingleton<ResultProtector>();
        builder.Services.AddSingleton<ContactDetailsProtector>();
        builder.Services.AddSingleton<Outbox>();
        builder.Services.AddSingleton<OutboxDispatcher>();
        builder.Services.AddSingleton<OutboxSignal>();
        builder.Services.AddSingleton<CrashPoints>();
        builder.Services.AddSingleton<ResetWorkflowService>();
        builder.Services.AddSingleton<IInboundHandler, MfaResetBot>();
        builder.Services.AddHostedService<ResetWorker>();
        builder.Services.AddHostedService<ExpiryWorker>();
        builder.Services.AddHostedService<ActivationWorker>();
        builder.Services.AddHostedService<StepUpWorker>();
        builder.Services.AddHostedService<WatchWorker>();
        builder.Services.AddHostedService<OutboxWorker>();
        return builder;
    }
}
