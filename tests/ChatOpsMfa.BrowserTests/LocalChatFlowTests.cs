using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace ChatOpsMfa.BrowserTests;

/// <summary>
/// A person's view of the whole recovery: the real page, the real Web Chat bundle and Debian's Chromium, clicking
/// through as Alice (employee) and Bob (approver) against the real bot and the Okta sandbox.
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
    public async Task Alice_asks_Bob_approves_and_Alice_gets_her_new_factor()
    {
        RequireChromium();
        using var host = new LocalHost();
        var address = host.Address;
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ChromiumArgs,
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } });
        var pageErrors = new List<string>();
        page.PageError += (_, error) => pageErrors.Add(error);
        page.SetDefaultTimeout(20_000);
        Assertions.SetDefaultExpectTimeout(20_000);

        await page.GotoAsync(address.ToString());
        var alice = page.Locator("#alice-chat");
        var bob = page.Locator("#bob-chat");
        var aliceInput = alice.Locator("[data-id='webchat-sendbox-input']");
        await aliceInput.WaitForAsync();
        await bob.Locator("[data-id='webchat-sendbox-input']").WaitForAsync();
        await Assertions.Expect(page.Locator("#okta-mode")).ToContainTextAsync("sandbox");

        // Alice asks, and picks Google Authenticator on the form card.
        await aliceInput.FillAsync("/mfa-reset");
        await aliceInput.PressAsync("Enter");
        var factorSelect = alice.GetByRole(AriaRole.Combobox, new LocatorGetByRoleOptions { Name = "New sign-in method" }).Last;
        await Assertions.Expect(factorSelect).ToBeVisibleAsync();
        await factorSelect.SelectOptionAsync(new SelectOptionValue { Label = "Google Authenticator (TOTP app)" });
        await alice.Locator("button.ac-pushButton", new LocatorLocatorOptions { HasText = "Submit request" }).ClickAsync();

        await Assertions.Expect(Shown(alice, "Waiting for approval by the help desk.")).ToBeVisibleAsync();
        var approve = bob.Locator("button.ac-pushButton", new LocatorLocatorOptions { HasText = "Approve" });
        await Assertions.Expect(approve).ToBeVisibleAsync();
        await Assertions.Expect(Shown(bob, "alice@example.com")).ToBeVisibleAsync();
        await Screenshot(page, "screenshot-local-chat.png");

        // Bob approves; the reset and the enrolment run against the sandbox.
        await approve.ClickAsync();

        await Assertions.Expect(Shown(bob, "Approved by Bob")).ToBeVisibleAsync();
        await Assertions.Expect(approve).ToHaveCountAsync(0);
        var result = alice.GetByText(FactorIdPattern()).First;
        await Assertions.Expect(result).ToBeVisibleAsync();
        await Assertions.Expect(Shown(alice, "Setup key")).ToBeVisibleAsync();
        await Assertions.Expect(bob.GetByText("Setup key")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#error")).ToBeHiddenAsync();
        Assert.Empty(pageErrors);
        // Even a sandbox TOTP key stays out of a committed picture: the setup key is masked.
        var setupKey = alice.GetByText(SetupKeyPattern());
        await Assertions.Expect(setupKey.First).ToBeVisibleAsync();
        await Screenshot(page, "screenshot-local-chat-done.png", setupKey);
    }

    [GeneratedRegex("Factor (ID|id)")]
    private static partial Regex FactorIdPattern();

    [GeneratedRegex("^[A-Z2-7]{16,}$")]
    private static partial Regex SetupKeyPattern();

    private static async Task Screenshot(IPage page, string name, ILocator? mask = null)
    {
        var path = Path.Combine(RepositoryPaths.Root, "docs", name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true, Mask = mask is null ? null : [mask] });
        Assert.True(new FileInfo(path).Length > 10_000);
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
