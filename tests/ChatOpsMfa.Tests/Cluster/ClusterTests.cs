using System.Globalization;
using System.Net;
using ChatOpsMfa.Cards;
using ChatOpsMfa.Okta.Sandbox;
using ChatOpsMfa.Requests;
using ChatOpsMfa.Tests.Crash;
using ChatOpsMfa.Tests.Slack;

namespace ChatOpsMfa.Tests.Cluster;

/// <summary>
/// Three real bot processes on one PostgreSQL database, as a deployment behind a load balancer runs them: whichever
/// instance a Slack delivery reaches, each piece of work happens once (the modal, the request, the approval, the
/// reset, the enrolment, the key message), and when instances die (SIGKILL) with Okta work in flight, a survivor takes
/// it over once its lease runs out and finishes it with one factor whose key the person received and activated.
/// </summary>
public sealed class ClusterTests
{
    private const int Clicks = 50;

    [Fact]
    public async Task A_Slack_retry_delivered_to_another_instance_opens_one_modal_and_a_submission_delivered_twice_makes_one_request()
    {
        await using var cluster = await SlackCluster.StartAsync();
        var (a, b, c) = (cluster.Instances[0], cluster.Instances[1], cluster.Instances[2]);

        // Started together on an empty database, the three made one key ring key between them, so whatever one of them
        // encrypts the others can read for good (Data Protection looks again for an unknown key only in its first 2 minutes).
        Assert.Equal(1, await cluster.KeyRingKeysAsync());

        // Slack times out on A (say) and retries the same command, same trigger id, on B.
        var command = SlackPayloads.Command("UALICE", "trigger-cluster-1");
        Assert.Equal(HttpStatusCode.OK, await cluster.PostSignedAsync(a, "api/slack/commands", command));
        Assert.Equal(HttpStatusCode.OK, await cluster.PostSignedAsync(b, "api/slack/commands", command, retryNum: 1));
        await Eventually.WaitUntilAsync(() => Repeats(cluster, "views.open for /mfa-reset") == 1 && cluster.Slack.CallsTo("views.open").Any(),
            "one instance to open the modal and the other to skip the repeated command", SlackCluster.Within);
        var open = Assert.Single(cluster.Slack.CallsTo("views.open"));
        Assert.True(open.Ok, open.Answer.ToJsonString());
        Assert.Equal("trigger-cluster-1", open.Body["trigger_id"]!.GetValue<string>());

        // The modal's submission reaches B and, retried, C: one request, one approval message.
        var submission = SlackPayloads.ViewSubmission("UALICE", "VCLUSTER1", "token:software:totp", "GOOGLE");
        Assert.Equal(HttpStatusCode.OK, await cluster.InteractAsync(b, submission));
        Assert.Equal(HttpStatusCode.OK, await cluster.InteractAsync(c, submission, retryNum: 1));
        await Eventually.WaitUntilAsync(() => Repeats(cluster, "request submission") == 1, "one instance to skip the repeated submission", SlackCluster.Within);
        await Eventually.WaitUntilAsync(() => cluster.ApprovalMessage() is not null, "the approval message", SlackCluster.Within);
        var request = Assert.Single(await cluster.Store.ListInStatesAsync(Enum.GetValues<RequestState>(), CancellationToken.None));
        Assert.Equal((1, RequestState.AwaitingApproval), (request.Number, request.State));
        Assert.Single(cluster.Slack.CallsTo("chat.postMessage"), m => m.Channel == SlackTestHost.SupportChannel && m.ThreadTs is null);
        Assert.Single(await cluster.Store.AuditTrailAsync(request.Id, CancellationToken.None), e => e.Action == "Requested");
    }

    [Fact]
    public async Task Fifty_Approve_clicks_spread_over_three_instances_make_one_reset_one_enrolment_and_one_key_message()
    {
        var approvers = Enumerable.Range(1, Clicks).Select(i => $"UAPPR{i:D2}").ToList();
        await using var cluster = await SlackCluster.StartAsync(settings: approvers
            .Select((approver, i) => KeyValuePair.Create($"Approvals:Approvers:{10 + i}", approver)).ToDictionary());
        foreach (var approver in approvers)
        {
            cluster.Slack.Users[approver] = ($"Approver {approver[5..]}", $"approver{approver[5..]}@example.com");
            cluster.Okta.AddUser($"approver{approver[5..]}@example.com", "Approver", approver[5..]); // approvers decide only as known Okta users
        }

        var (requestId, approvalTs) = await cluster.SubmitAsync(cluster.Instances[0], "VCLUSTER2");
        cluster.Okta.ClearRequests();

        // Each approver clicks once (distinct action_ts, as Slack sends distinct clicks); the clicks reach the three instances in turn.
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var clicks = approvers.Select(async (approver, i) =>
        {
            var click = SlackPayloads.Click(approver, CardVerbs.Approve, requestId, SlackTestHost.SupportChannel, approvalTs,
                string.Create(CultureInfo.InvariantCulture, $"1700000100.{i:D6}"));
            await gate.Task;
            return await cluster.InteractAsync(cluster.Instances[i % SlackCluster.Size], click);
        }).ToList();
        gate.SetResult();
        Assert.All(await Task.WhenAll(clicks), status => Assert.Equal(HttpStatusCode.OK, status));

        await cluster.WaitForStateAsync(requestId, RequestState.AwaitingActivation);
        await Eventually.WaitUntilAsync(async () => (await cluster.Store.AuditTrailAsync(requestId, CancellationToken.None))
            .Count(e => e.Action == "ApproveRefused") == Clicks - 1, "the other 49 clicks to be refused", SlackCluster.Within);
        var audit = await cluster.Store.AuditTrailAsync(requestId, CancellationToken.None);
        var approval = Assert.Single(audit, e => e.Action == "Approve");
        Assert.Contains(approval.ActorId, approvers);
        // One transition into Approved; each refusal is audited where it found the request (Approved, or further on).
        Assert.Single(audit, e => e.ToState == nameof(RequestState.Approved) && e.FromState != nameof(RequestState.Approved));
        Assert.Single(audit, e => e.Action == "ResetSucceeded");
        Assert.Single(audit, e => e.Action == "EnrollSucceeded");

        // Okta: one reset, one containment, one enrolment (activation polls aside).
        Assert.Equal(["resetFactors", "enrollFactor"], cluster.Okta.Requests
            .Where(r => r.Method == "POST" && !(r.OperationId == "activateFactor" && r.Body.Length == 0)).Select(r => r.OperationId));
        Assert.Equal(["revokeUserSessions"], cluster.Okta.Requests.Where(r => r.Method == "DELETE").Select(r => r.OperationId));

        // Slack: the approval message was updated in place, never posted again; one key message reached Alice.
        Assert.Single(cluster.Slack.CallsTo("chat.postMessage"), m => m.Channel == SlackTestHost.SupportChannel && m.ThreadTs is null);
        // Updated in place: the same message (its ts), its Approve button gone now that the request cannot be approved again.
        await Eventually.WaitUntilAsync(() => cluster.Slack.CallsTo("chat.update").Any(u => u.Ok && u.Body["ts"]?.GetValue<string>() == approvalTs
            && !u.AllText.Contains($"\"action_id\":\"{CardVerbs.Approve}\"", StringComparison.Ordinal)), "the approval message updated", SlackCluster.Within);
        var request = await cluster.ActivateWithTheKeyMessageAsync(cluster.Instances[2], requestId);
        var keyMessage = Assert.Single(cluster.KeyMessages());
        var factor = Assert.Single(cluster.Okta.FactorsOf(OktaSandboxSeed.AliceId)!);
        Assert.Equal(("ACTIVE", request.Result!.FactorId), (factor.Status, factor.Id));
        Assert.Contains(factor.Id, keyMessage.AllText, StringComparison.Ordinal);
        Assert.Single(cluster.Okta.Requests, r => r.OperationId == "enrollFactor");
    }

    [Fact]
    public async Task Two_instances_killed_while_the_enrolment_is_in_flight_leave_the_third_to_finish_with_one_factor_whose_key_reached_Alice()
    {
        await using var cluster = await SlackCluster.StartAsync(holdOktaAnswers: true);
        var (requestId, approvalTs) = await cluster.SubmitAsync(cluster.Instances[0], "VCLUSTER3");

        // Okta carries out the enrolment; its answer never reaches the instance that asked.
        var enrolledAtOkta = cluster.AnswerHolder.HoldNextEnrolAnswer();
        Assert.Equal(HttpStatusCode.OK, await cluster.InteractAsync(cluster.Instances[1],
            SlackPayloads.Click("UBOB", CardVerbs.Approve, requestId, SlackTestHost.SupportChannel, approvalTs, "1700000200.000001")));
        await enrolledAtOkta.WaitAsync(SlackCluster.Within, TestContext.Current.CancellationToken);

        var worker = await cluster.WorkHolderAsync(requestId) ?? throw new InvalidOperationException("Nobody holds the Okta work.\n" + cluster.Output());
        var others = cluster.Instances.Where(i => i != worker).ToList();
        var survivor = others[1];
        await worker.KillAsync();
        await others[0].KillAsync();

        var lost = Assert.Single(cluster.Okta.FactorsOf(OktaSandboxSeed.AliceId)!);
        Assert.Equal("PENDING_ACTIVATION", lost.Status);
        Assert.Empty(cluster.KeyMessages());

        // The survivor claims the work once the dead holder's lease runs out, deletes the factor whose key was lost and enrols again.
        await Eventually.WaitUntilAsync(() => cluster.KeyMessages().Count > 0, "the key message from the surviving instance\n" + cluster.Output(), SlackCluster.Within);
        Assert.Contains("factor enrolled", survivor.Output, StringComparison.Ordinal);
        var request = await cluster.ActivateWithTheKeyMessageAsync(survivor, requestId);

        var keyMessage = Assert.Single(cluster.KeyMessages());
        var factor = Assert.Single(cluster.Okta.FactorsOf(OktaSandboxSeed.AliceId)!);
        Assert.NotEqual(lost.Id, factor.Id);
        Assert.Equal(("ACTIVE", "token:software:totp", request.Result!.FactorId), (factor.Status, factor.FactorType, factor.Id));
        Assert.Contains(factor.Id, keyMessage.AllText, StringComparison.Ordinal);
        Assert.Single(cluster.Okta.Requests, r => r.OperationId == "resetFactors");
        Assert.Single(cluster.Okta.Requests, r => r.OperationId == "revokeUserSessions");
        Assert.Equal(2, cluster.Okta.Requests.Count(r => r.OperationId == "enrollFactor"));
        var delete = Assert.Single(cluster.Okta.Requests, r => r.OperationId == "unenrollFactor");
        Assert.EndsWith("/factors/" + lost.Id, delete.Path, StringComparison.Ordinal);
        var audit = await cluster.Store.AuditTrailAsync(requestId, CancellationToken.None);
        Assert.Contains(lost.Id, Assert.Single(audit, e => e.Action == "LostEnrolmentRemoved").Detail, StringComparison.Ordinal);
        Assert.Single(audit, e => e.Action == "Approve");
        Assert.Single(audit, e => e.Action == "Activated");
    }

    [Fact]
    public async Task A_key_message_one_instance_encrypted_and_could_not_deliver_is_delivered_by_another_after_it_is_killed()
    {
        await using var cluster = await SlackCluster.StartAsync();
        var slackDown = true;
        cluster.Slack.Refuse("chat.postMessage", "internal_error",
            body => Volatile.Read(ref slackDown) && body["channel"]?.GetValue<string>() == SlackCluster.AliceDm
                && body.ToJsonString().Contains("Setup key", StringComparison.Ordinal));
        var (requestId, approvalTs) = await cluster.SubmitAsync(cluster.Instances[0], "VCLUSTER4");
        Assert.Equal(HttpStatusCode.OK, await cluster.InteractAsync(cluster.Instances[1],
            SlackPayloads.Click("UBOB", CardVerbs.Approve, requestId, SlackTestHost.SupportChannel, approvalTs, "1700000300.000001")));

        // The enrolment is saved with its key encrypted in the outbox, and Slack refuses that key message for now.
        await cluster.WaitForStateAsync(requestId, RequestState.AwaitingActivation);
        await Eventually.WaitUntilAsync(() => cluster.Slack.CallsTo("chat.postMessage").Any(m => !m.Ok && m.Channel == SlackCluster.AliceDm),
            "a refused key message", SlackCluster.Within);
        var enroller = Assert.Single(cluster.Instances, i => i.Output.Contains("factor enrolled", StringComparison.Ordinal));
        await enroller.KillAsync();
        Volatile.Write(ref slackDown, false);

        // Another instance, whose process never saw the key, claims the outbox once the dead one's lease runs out,
        // decrypts the key with the shared key ring, and delivers it; Alice's code from it activates the factor.
        var deliverer = cluster.Instances.First(i => i != enroller);
        var request = await cluster.ActivateWithTheKeyMessageAsync(deliverer, requestId);
        Assert.Single(cluster.KeyMessages());
        var factor = Assert.Single(cluster.Okta.FactorsOf(OktaSandboxSeed.AliceId)!);
        Assert.Equal(("ACTIVE", request.Result!.FactorId), (factor.Status, factor.Id));
        Assert.Single(cluster.Okta.Requests, r => r.OperationId == "enrollFactor");
    }

    private static int Repeats(SlackCluster cluster, string what) =>
        cluster.Instances.Sum(i => i.Output.Split('\n').Count(line => line.Contains($"Slack delivered '{what}' again", StringComparison.Ordinal)));
}
