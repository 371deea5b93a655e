using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace ChatOpsMfa.BrowserTests;

/// <summary>
/// A person's view of the whole recovery: the real page, the real Web Chat bundle and Debian's Chromium, clicking
/// through as Alice (employee) and Bob (approver) against the real bot and the Okta sandbox, until Okta says ACTIVE.
/// The local run has the approver's step-up on (appsettings.Development.json), so each Approve is confirmed on the
/// sandbox panel's pretend Okta Verify prompt.
/// </summary>
public sealed partial class LocalChatFlowTests
{
    private const string ChromiumPath = "/usr/bin/chromium";

    private static readonly string[] ChromiumArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run",
    ];

    [Fact]
    public async Task Alice_asks_Bob_approves_and_confirms_on_his_Okta_Verify_and_Alice_activates_her_authenticator()
    {
        await using var session = await LocalPage.OpenAsync();
        var (page, alice, bob) = (session.Page, session.Alice, session.Bob);

        await session.AskForAsync("Google Authenticator (TOTP app)");
        var approve = bob.Locator("button.ac-pushButton", new LocatorLocatorOptions { HasText = "Approve" });
        await Assertions.Expect(approve).ToBeVisibleAsync();
        await Assertions.Expect(Shown(bob, "alice@example.com")).ToBeVisibleAsync();

        // Bob's click alone does nothing at Okta: the card waits for his Okta Verify, and the pretend phone asks him.
        await approve.ClickAsync();
        await Assertions.Expect(Shown(bob, Said("Waiting for Bob's Okta Verify to confirm the approval."))).ToBeVisibleAsync();
        await Assertions.Expect(Shown(bob, "I sent an Okta Verify push to your phone")).ToBeVisibleAsync();
        var prompt = session.OktaVerifyPrompt;
        await Assertions.Expect(prompt).ToBeVisibleAsync();
        await Assertions.Expect(prompt).ToContainTextAsync("Did you just try to approve an MFA reset?");
        await Assertions.Expect(prompt).ToContainTextAsync("bob@example.com");
        await Assertions.Expect(alice.GetByText("Your new sign-in method: set it up now")).ToHaveCountAsync(0);
        await Screenshot(page, "screenshot-local-chat.png");

        // He accepts it on the phone; only now the reset and the enrolment run against the sandbox.
        await page.Locator("#okta-verify-approve").ClickAsync();
        await Assertions.Expect(prompt).ToBeHiddenAsync();
        await Assertions.Expect(Shown(bob, "Approved by Bob (confirmed with their Okta Verify push).")).ToBeVisibleAsync();
        await Assertions.Expect(approve).ToHaveCountAsync(0);

        // Alice's private key card: the QR code (a PNG data URI the browser really decoded) and the setup key.
        await Assertions.Expect(Shown(alice, "Your new sign-in method: set it up now")).ToBeVisibleAsync();
        var qr = alice.Locator("img[src^='data:image/png;base64,']");
        await Assertions.Expect(qr).ToHaveCountAsync(1);
        await Assertions.Expect(qr).ToBeVisibleAsync();
        Assert.True(await qr.EvaluateAsync<int>("img => img.complete ? img.naturalWidth : 0") > 0, "the QR image did not load");
        await Assertions.Expect(bob.Locator("img[src^='data:']")).ToHaveCountAsync(0);
        var setupKey = alice.Locator(".ac-textBlock").GetByText(SetupKeyPattern());
        await Assertions.Expect(setupKey).ToHaveCountAsync(1);
        var key = (await setupKey.InnerTextAsync()).Trim();
        await Assertions.Expect(bob.GetByText(key)).ToHaveCountAsync(0);

        // She types what her authenticator app would show for that key into the activation card.
        var codeBox = alice.GetByRole(AriaRole.Textbox, new LocatorGetByRoleOptions { NameRegex = CodeInputPattern() });
        await Assertions.Expect(codeBox).ToHaveCountAsync(1);
        await codeBox.FillAsync(Rfc6238.Code(key, DateTimeOffset.UtcNow));
        await alice.Locator("button.ac-pushButton", new LocatorLocatorOptions { HasText = "Activate" }).ClickAsync();

        await Assertions.Expect(Shown(alice, "Google Authenticator (TOTP app) is active")).ToBeVisibleAsync();
        await Assertions.Expect(Shown(alice, "Setup key removed after activation")).ToBeVisibleAsync();
        await Assertions.Expect(alice.GetByText(key)).ToHaveCountAsync(0);
        await Assertions.Expect(qr).ToHaveCountAsync(0);
        await Assertions.Expect(codeBox).ToHaveCountAsync(0);
        await Assertions.Expect(Shown(bob, "Activated: Google Authenticator (TOTP app)")).ToBeVisibleAsync();
        await session.AssertNoPageProblemsAsync();
        await Screenshot(page, "screenshot-local-chat-done.png");
    }

    [Fact]
    public async Task Alice_sets_up_Okta_Verify_by_approving_on_the_simulated_device()
    {
        await using var session = await LocalPage.OpenAsync();
        var (alice, bob) = (session.Alice, session.Bob);
        var device = session.Page.GetByTestId("sandbox-device");
        await Assertions.Expect(session.Page.Locator("#sandbox-title")).ToHaveTextAsync("Okta sandbox — not a real phone");
        await Assertions.Expect(session.Page.Locator("#device-empty")).ToBeVisibleAsync();

        await session.AskForAsync("Okta Verify (push)");
        await session.BobApprovesWithOktaVerifyAsync();

        // Okta's activation QR reaches Alice; the pretend phone sees the enrolment waiting for a scan.
        await Assertions.Expect(alice.Locator("img[src^='data:image/png;base64,']")).ToBeVisibleAsync();
        var waiting = device.Locator("li");
        await Assertions.Expect(waiting).ToHaveCountAsync(1);
        await Assertions.Expect(waiting).ToContainTextAsync("alice@example.com");
        await waiting.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Approve" }).ClickAsync();

        await Assertions.Expect(waiting).ToHaveCountAsync(0);
        await Assertions.Expect(Shown(alice, "Okta Verify (push) is active")).ToBeVisibleAsync();
        await Assertions.Expect(Shown(bob, "Activated: Okta Verify (push)")).ToBeVisibleAsync();
        await Assertions.Expect(alice.Locator("img[src^='data:']")).ToHaveCountAsync(0);
        await session.AssertNoPageProblemsAsync();
    }

    [Fact]
    public async Task Denying_on_the_simulated_device_ends_the_activation_and_removes_the_QR_code()
    {
        await using var session = await LocalPage.OpenAsync();
        var (alice, bob) = (session.Alice, session.Bob);
        var device = session.Page.GetByTestId("sandbox-device");

        await session.AskForAsync("Okta Verify (push)");
        await session.BobApprovesWithOktaVerifyAsync();
        var waiting = device.Locator("li");
        await Assertions.Expect(waiting).ToHaveCountAsync(1);
        await waiting.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Deny" }).ClickAsync();

        // Okta answers CANCELLED: the pending factor is deleted, the QR code goes, and an approver may retry.
        await Assertions.Expect(waiting).ToHaveCountAsync(0);
        await Assertions.Expect(Shown(alice, "Setup key removed because the activation ended")).ToBeVisibleAsync();
        await Assertions.Expect(alice.Locator("img[src^='data:']")).ToHaveCountAsync(0);
        await Assertions.Expect(Shown(bob, "was deleted in Okta. An approver can Retry")).ToBeVisibleAsync();
        await Assertions.Expect(bob.GetByText("Activated:")).ToHaveCountAsync(0);
        await session.AssertNoPageProblemsAsync();
    }

    [Fact]
    public async Task Alice_sets_up_SMS_with_the_code_the_sandbox_inbox_received()
    {
        await using var session = await LocalPage.OpenAsync();
        var (alice, bob) = (session.Alice, session.Bob);
        var inbox = session.Page.GetByTestId("sandbox-inbox");

        await session.AskForAsync("SMS text message", phoneNumber: "+14155550123");
        await session.BobApprovesWithOktaVerifyAsync();

        // Okta "sends" the code at enrolment: the sandbox inbox shows it, to a masked number.
        var sms = inbox.Locator("li");
        await Assertions.Expect(sms).ToHaveCountAsync(1);
        await Assertions.Expect(sms).ToContainTextAsync("SMS");
        await Assertions.Expect(inbox).Not.ToContainTextAsync("5550123");
        var code = SmsCodePattern().Match(await sms.InnerTextAsync()).Groups[1].Value;
        Assert.Matches("^[0-9]{6}$", code);

        var codeBox = alice.GetByRole(AriaRole.Textbox, new LocatorGetByRoleOptions { NameRegex = CodeInputPattern() });
        await codeBox.FillAsync(code);
        await alice.Locator("button.ac-pushButton", new LocatorLocatorOptions { HasText = "Activate" }).ClickAsync();

        await Assertions.Expect(Shown(alice, "SMS text message is active")).ToBeVisibleAsync();
        await Assertions.Expect(Shown(bob, "Activated: SMS text message")).ToBeVisibleAsync();
        await Assertions.Expect(codeBox).ToHaveCountAsync(0);
        await session.AssertNoPageProblemsAsync();
    }

    [Fact]
    public async Task Denying_Bob_Okta_Verify_push_is_a_security_event_in_the_thread_and_nothing_is_reset()
    {
        await using var session = await LocalPage.OpenAsync();
        var (alice, bob) = (session.Alice, session.Bob);

        await session.AskForAsync("Google Authenticator (TOTP app)");
        await bob.Locator("button.ac-pushButton", new LocatorLocatorOptions { HasText = "Approve" }).ClickAsync();
        await Assertions.Expect(Shown(bob, Said("Waiting for Bob's Okta Verify to confirm the approval."))).ToBeVisibleAsync();
        var prompt = session.OktaVerifyPrompt;
        await Assertions.Expect(prompt).ToBeVisibleAsync();
        await prompt.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = "Deny the Okta Verify push for bob@example.com" }).ClickAsync();

        // Okta says REJECTED: the approval does not count, the thread says so loudly, and the card waits again.
        await Assertions.Expect(prompt).ToBeHiddenAsync();
        await Assertions.Expect(Shown(bob, Said("⚠️ Security event: Bob's Okta Verify push was REJECTED on their device, so the approval did not count."))).ToBeVisibleAsync();
        await Assertions.Expect(Shown(bob, "Waiting for approval by the help desk.")).ToBeVisibleAsync();
        await Assertions.Expect(bob.GetByText(Said("Waiting for Bob's Okta Verify to confirm the approval."))).ToHaveCountAsync(0);
        await Assertions.Expect(bob.GetByText("Approved by Bob")).ToHaveCountAsync(0);
        await Assertions.Expect(alice.GetByText("Your new sign-in method: set it up now")).ToHaveCountAsync(0);
        await Assertions.Expect(alice.Locator("img[src^='data:']")).ToHaveCountAsync(0);
        await session.AssertNoPageProblemsAsync();
    }

    [Fact]
    public void Rfc6238_helper_matches_the_RFC_test_vector()
    {
        // RFC 6238 appendix B: the ASCII key "12345678901234567890", T = 59 s gives 94287082 (8 digits), so 287082.
        Assert.Equal("287082", Rfc6238.Code("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", DateTimeOffset.FromUnixTimeSeconds(59)));
        Assert.Equal("081804", Rfc6238.Code("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", DateTimeOffset.FromUnixTimeSeconds(1111111109)));
    }

    [GeneratedRegex("^[A-Z2-7]{16,}$")]
    private static partial Regex SetupKeyPattern();

    [GeneratedRegex(@"^Code \(\d+ attempt")]
    private static partial Regex CodeInputPattern();

    [GeneratedRegex("verification code is ([0-9]{6})")]
    private static partial Regex SmsCodePattern();


    private static async Task Screenshot(IPage page, string name)
    {
        var path = Path.Combine(RepositoryPaths.Root, "docs", name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        Assert.True(new FileInfo(path).Length > 10_000);
    }

    /// <summary>Web Chat repeats a message's text in screen-reader labels, so several elements match; the first is the bubble.</summary>
    private static ILocator Shown(ILocator pane, string text) => pane.GetByText(text).First;

    private static ILocator Shown(ILocator pane, Regex text) => pane.GetByText(text).First;

    /// <summary>What the bot said, as Web Chat shows it: its Markdown renderer turns an apostrophe into a typographic one.</summary>
    private static Regex Said(string text) =>
        new(Regex.Escape(text).Replace("\\ ", " ", StringComparison.Ordinal).Replace("'", "['\u2019]", StringComparison.Ordinal));

    /// <summary>The page in Chromium against a fresh bot, with Alice's and Bob's panes and every page error collected.</summary>
    private sealed class LocalPage : IAsyncDisposable
    {
        private readonly LocalHost _host;
        private readonly IPlaywright _playwright;
        private readonly IBrowser _browser;
        private readonly List<string> _problems = [];

        private LocalPage(LocalHost host, IPlaywright playwright, IBrowser browser, IPage page)
        {
            _host = host;
            _playwright = playwright;
            _browser = browser;
            Page = page;
            page.PageError += (_, error) => _problems.Add(error);
            // A Content-Security-Policy violation is reported on the console, not as a page error.
            page.Console += (_, message) =>
            {
                if (message.Type == "error")
                {
                    _problems.Add($"{message.Text} ({message.Location})");
                }
            };
        }

        public IPage Page { get; }

        public ILocator Alice => Page.Locator("#alice-chat");

        public ILocator Bob => Page.Locator("#bob-chat");

        /// <summary>The sandbox's pretend Okta Verify prompt for Bob's step-up push.</summary>
        public ILocator OktaVerifyPrompt =>
            Page.GetByTestId("okta-verify-prompts").GetByRole(AriaRole.Dialog, new LocatorGetByRoleOptions { Name = "Okta Verify (sandbox) push for bob@example.com" });

        public static async Task<LocalPage> OpenAsync()
        {
            RequireChromium();
            var host = new LocalHost();
            var address = host.Address;
            var playwright = await Playwright.CreateAsync();
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ChromiumPath,
                Headless = true,
                Args = ChromiumArgs,
            });
            var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1600, Height = 1000 } });
            page.SetDefaultTimeout(20_000);
            Assertions.SetDefaultExpectTimeout(30_000);
            var session = new LocalPage(host, playwright, browser, page);

            await page.GotoAsync(address.ToString());
            await session.Alice.Locator("[data-id='webchat-sendbox-input']").WaitForAsync();
            await session.Bob.Locator("[data-id='webchat-sendbox-input']").WaitForAsync();
            await Assertions.Expect(page.Locator("#okta-mode")).ToContainTextAsync("sandbox");
            await Assertions.Expect(page.Locator("#sandbox-panel")).ToBeVisibleAsync();
            return session;
        }

        /// <summary>Alice asks for a reset and picks <paramref name="method"/> on the form card; the approval card reaches Bob.</summary>
        public async Task AskForAsync(string method, string? phoneNumber = null)
        {
            var input = Alice.Locator("[data-id='webchat-sendbox-input']");
            await input.FillAsync("/mfa-reset");
            await input.PressAsync("Enter");
            var factorSelect = Alice.GetByRole(AriaRole.Combobox, new LocatorGetByRoleOptions { Name = "New sign-in method" }).Last;
            await Assertions.Expect(factorSelect).ToBeVisibleAsync();
            await factorSelect.SelectOptionAsync(new SelectOptionValue { Label = method });
            if (phoneNumber is not null)
            {
                await Alice.GetByRole(AriaRole.Textbox, new LocatorGetByRoleOptions { Name = "Mobile number (only for SMS or voice call)" }).Last.FillAsync(phoneNumber);
            }

            await Alice.Locator("button.ac-pushButton", new LocatorLocatorOptions { HasText = "Submit request" }).ClickAsync();
            await Assertions.Expect(Shown(Alice, "Waiting for approval by the help desk.")).ToBeVisibleAsync();
        }

        /// <summary>Bob clicks Approve, then accepts the Okta Verify push on the sandbox's pretend phone, so his approval counts.</summary>
        public async Task BobApprovesWithOktaVerifyAsync()
        {
            await Bob.Locator("button.ac-pushButton", new LocatorLocatorOptions { HasText = "Approve" }).ClickAsync();
            await Assertions.Expect(OktaVerifyPrompt).ToBeVisibleAsync();
            await Page.Locator("#okta-verify-approve").ClickAsync();
            await Assertions.Expect(Shown(Bob, "Approved by Bob (confirmed with their Okta Verify push).")).ToBeVisibleAsync();
        }

        public async Task AssertNoPageProblemsAsync()
        {
            await Assertions.Expect(Page.Locator("#error")).ToBeHiddenAsync();
            await Assertions.Expect(Page.Locator("#sandbox-error")).ToBeHiddenAsync();
            Assert.True(_problems.Count == 0, string.Join("\n", _problems));
        }

        public async ValueTask DisposeAsync()
        {
            await _browser.DisposeAsync();
            _playwright.Dispose();
            _host.Dispose();
        }

        private static void RequireChromium()
        {
            if (File.Exists(ChromiumPath))
            {
                return;
            }

            const string reason = $"{ChromiumPath} is missing; install Debian's chromium package (never 'playwright install').";
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            {
                Assert.Fail(reason);
            }

            Assert.Skip(reason);
        }
    }
}
