using ChatOpsMfa.Requests;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ChatOpsMfa.Tests.Flow;

/// <summary>Issue 11's settings: a nonsensical value stops start-up naming the key; the step-up is on outside Development.</summary>
public class StepUpOptionsTests
{
    [Theory]
    [InlineData("Approvals:VerificationTimeout", "00:00:00")]
    [InlineData("Approvals:VerificationTimeout", "00:10:00")]
    [InlineData("Approvals:VerificationPollInterval", "00:00:00")]
    [InlineData("Approvals:ReminderAfter", "-00:01:00")]
    [InlineData("Monitoring:WatchWindow", "-01:00:00")]
    [InlineData("Monitoring:PollInterval", "00:00:00")]
    public void A_bad_setting_stops_startup_naming_the_key(string key, string value)
    {
        using var host = new FlowHost(new Dictionary<string, string?> { [key] = value });

        var error = Record.Exception(() => host.Services);

        var validation = Assert.IsType<OptionsValidationException>(error is AggregateException aggregate ? aggregate.InnerException : error);
        Assert.Contains(key, validation.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Approvals:ApproverVerification", "Sms")]
    [InlineData("Approvals:ManagerConfirmation", "Sometimes")]
    [InlineData("Identity:Binding", "Name")]
    public void A_value_that_is_not_one_of_the_choices_stops_startup_naming_the_key(string key, string value)
    {
        using var host = new FlowHost(new Dictionary<string, string?> { [key] = value });

        var error = Record.Exception(() => host.Services);

        Assert.NotNull(error);
        Assert.Contains(key.Split(':')[1], error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Outside_development_the_approver_step_up_is_the_default()
    {
        var options = Options.Create(new ApprovalOptions());
        var monitor = new StaticMonitor<ApprovalOptions>(options.Value);

        Assert.Equal(ApproverVerification.OktaVerifyPush,
            new ApprovalPolicy(monitor, null!, null!, new Environment("Production")).Verification);
        Assert.Equal(ApproverVerification.None,
            new ApprovalPolicy(monitor, null!, null!, new Environment("Development")).Verification);
        Assert.Equal(ApproverVerification.OktaVerifyPush,
            new ApprovalPolicy(new StaticMonitor<ApprovalOptions>(new ApprovalOptions { ApproverVerification = ApproverVerification.OktaVerifyPush }),
                null!, null!, new Environment("Development")).Verification);
    }

    [Fact]
    public async Task Without_the_step_up_the_bot_warns_at_startup()
    {
        using var host = new FlowHost();
        _ = host.Services;

        // The worker logs it from ExecuteAsync, which .NET 10 runs on the thread pool: it may come just after start.
        await Eventually.WaitUntilAsync(() => host.Logs.AllText.Contains("Approvals:ApproverVerification is None", StringComparison.Ordinal),
            "the startup warning");
    }

    [Fact]
    public void The_local_run_shows_the_step_up()
    {
        var settings = File.ReadAllText(Path.Combine(RepoPaths.Root, "src", "ChatOpsMfa", "appsettings.Development.json"));

        Assert.Contains("\"ApproverVerification\": \"OktaVerifyPush\"", settings, StringComparison.Ordinal);
    }

    private sealed class StaticMonitor<T>(T value) : IOptionsMonitor<T>
    {
        public T CurrentValue => value;

        public T Get(string? name) => value;

        public IDisposable? OnChange(Action<T, string?> listener) => null;
    }

    private sealed class Environment(string name) : Microsoft.Extensions.Hosting.IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;

        public string ApplicationName { get; set; } = "ChatOpsMfa";

        public string ContentRootPath { get; set; } = "";

        public Microsoft.Extensions.FileProviders.IFileProvider ContentRootFileProvider { get; set; } = null!;
    }
}
