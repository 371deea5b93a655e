using ChatOpsMfa.Channels;
using Microsoft.Playwright;

namespace ChatOpsMfa.BrowserTests;

/// <summary>The real page, the real Web Chat bundle and Debian's Chromium against the local Direct Line endpoints.</summary>
public sealed class LocalChatPageTests
{
    private const string ChromiumPath = "/usr/bin/chromium";

    private static readonly string[] ChromiumArgs =
    [
        "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run",
    ];

    [Fact]
    public async Task Employee_message_reaches_the_approver_whose_card_click_is_answered_in_both_panes()
    {
        RequireChromium();
        var cancellationToken = TestContext.Current.CancellationToken;
        await using var host = await LocalChatKestrelHost.StartAsync(new ApprovalDemoHandler(), cancellationToken);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ChromiumArgs,
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 860 } });
        var pageErrors = new List<string>();
        page.PageError += (_, error) => pageErrors.Add(error);

        await page.GotoAsync(host.Address.ToString());
        var alice = page.Locator("#alice-chat");
        var bob = page.Locator("#bob-chat");
        var aliceInput = alice.Locator("[data-id='webchat-sendbox-input']");
        await aliceInput.WaitForAsync();
        await bob.Locator("[data-id='webchat-sendbox-input']").WaitForAsync();
        await Assertions.Expect(page.Locator("#okta-mode")).ToContainTextAsync("Okta is the built-in sandbox");

        await aliceInput.FillAsync("/mfa-reset");
        await aliceInput.PressAsync("Enter");

        await Assertions.Expect(Shown(alice, "Request req-1 sent to the support channel for approval.")).ToBeVisibleAsync();
        await Assertions.Expect(Shown(alice, "/mfa-reset")).ToBeVisibleAsync();
        await Assertions.Expect(alice.GetByText("Send failed")).ToHaveCountAsync(0);
        await Assertions.Expect(Shown(bob, "Alice asks for an MFA reset (req-1)")).ToBeVisibleAsync();
        // The Adaptive Card's own button (Web Chat also keeps a hidden copy for keyboard focus).
        var approve = bob.Locator("button.ac-pushButton", new LocatorLocatorOptions { HasText = "Approve" });
        await Assertions.Expect(approve).ToBeVisibleAsync();

        await approve.ClickAsync();

        await Assertions.Expect(Shown(bob, "Thanks Bob, the reset for req-1 is running.")).ToBeVisibleAsync();
        await Assertions.Expect(Shown(alice, "Your request req-1 was approved by Bob.")).ToBeVisibleAsync();
        // The card was updated in place (same activity id), so Web Chat replaced it: new card, no button.
        await Assertions.Expect(Shown(bob, "Request req-1 approved by Bob")).ToBeVisibleAsync();
        await Assertions.Expect(Shown(bob, "Approved by: Bob")).ToBeVisibleAsync();
        await Assertions.Expect(approve).ToHaveCountAsync(0);
        await Assertions.Expect(bob.GetByText("Alice asks for an MFA reset (req-1)")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#error")).ToBeHiddenAsync();
        Assert.Empty(pageErrors);

        var screenshot = Path.Combine(RepositoryPaths.Root, "docs", "screenshot-local-chat.png");
        Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = screenshot });
        Assert.True(new FileInfo(screenshot).Length > 10_000);
    }

    /// <summary>Web Chat repeats a message's text in screen-reader labels, so several elements match; the first is the bubble.</summary>
    private static ILocator Shown(ILocator pane, string text) => pane.GetByText(text).First;

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
