using System.Text.Json.Nodes;
using ChatOpsMfa.Okta.Sandbox;
using ChatOpsMfa.Tests.Teams.Fakes;
using static ChatOpsMfa.Tests.Teams.TeamsStepUpSteps;
using static ChatOpsMfa.Tests.Teams.TeamsUsers;

namespace ChatOpsMfa.Tests.Teams;

/// <summary>
/// <c>Identity:Binding=OktaAttribute</c> in Teams: a Teams user is their Okta user only through the Okta profile
/// attribute holding their Entra object id (as the Connector gives it), found with Okta's user search. An email
/// that matches is not enough: emails are reassigned, object ids are not.
/// </summary>
public sealed class TeamsIdentityBindingTests : TeamsEveryoneFixture
{
    private static Dictionary<string, string?> ByAttribute() => Settings(
        ("Identity:Binding", "OktaAttribute"), ("Identity:TeamsObjectIdAttribute", "entraObjectId"));

    [Fact]
    public async Task A_Teams_user_whose_object_id_is_in_the_Okta_attribute_is_identified_and_the_card_says_how()
    {
        using var host = new TeamsTestHost(Fake, ByAttribute());
        OktaOf(host).SetProfileAttribute(OktaSandboxSeed.AliceId, "entraObjectId", Alice.AadObjectId);

        var request = await AskAsync(host, Alice);

        Assert.Equal(OktaSandboxSeed.AliceId, request.Target.OktaUserId);
        var card = ApprovalCardNow(host, request);
        Assert.Contains($"Microsoft Entra object id {Alice.AadObjectId} = Okta profile.entraObjectId", card, StringComparison.Ordinal);
        var search = Assert.Single(OktaOf(host).Requests, r => r.OperationId == "listUsers");
        Assert.Contains(Uri.EscapeDataString(Alice.AadObjectId), search.Query, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_Teams_user_whose_email_matches_but_whose_attribute_does_not_is_refused_with_no_email_fallback()
    {
        using var host = new TeamsTestHost(Fake, ByAttribute());
        // The attribute is in the profile schema (Alice's holds her id); Carol's Teams email is her Okta login, but her
        // Okta profile does not hold her Entra object id.
        OktaOf(host).SetProfileAttribute(OktaSandboxSeed.AliceId, "entraObjectId", Alice.AadObjectId);
        var answer = await TeamsCalls.InvokeAsync(host, TeamsActivities.Execute(Carol, TeamsActivities.Personal(Carol), "submitRequest",
            TeamsActivationSteps.Totp, host.ServiceUrl));

        Assert.Empty(await host.AllRequestsAsync());
        await Eventually.WaitUntilAsync(() => Shown(answer).Contains("profile.entraObjectId", StringComparison.Ordinal), "the refusal");
        Assert.True(Shown(answer).Contains("No Okta account has your Microsoft Entra object id in profile.entraObjectId", StringComparison.Ordinal), Shown(answer));
        Assert.DoesNotContain(OktaOf(host).Requests, r => r.Path.EndsWith("/carol@example.com", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(OktaOf(host).Requests, r => r.OperationId == "resetFactors");
    }

    /// <summary>What Carol was shown: the invoke's answer and whatever the bot posted in her chats.</summary>
    private string Shown(JsonObject answer) => TeamsStepUpSteps.Shown(answer) + string.Concat(Fake.ConnectorCalls
        .Where(c => c.Method is "POST" or "PUT" && c.Path.Contains(Carol.MemberId[3..], StringComparison.Ordinal))
        .Select(c => TeamsStepUpSteps.Shown(c.Json)));
}
