using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ChatOpsMfa.Okta.Sandbox;

/// <summary>
/// verifyFactor for Okta Verify push and getFactorTransactionStatus, with the simulated device answering the push.
/// Rules from Okta's description: a push challenge is issued by a request with no body, needs the <c>User-Agent</c>
/// header ("Required to verify push factors"), answers 201 WAITING with <c>poll</c> and <c>cancel</c> links, and
/// its transaction reports WAITING, SUCCESS, REJECTED or TIMEOUT.
/// </summary>
internal sealed partial class SandboxDirectory
{
    private const string Base64UrlAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    public SandboxReply VerifyFactor(string userId, string factorId, JsonNode? body, SandboxCaller caller)
    {
        lock (_gate)
        {
            var (user, factor, problem) = FindFactor(userId, factorId);
            if (problem is not null)
            {
                return problem;
            }

            if (user!.Status is "SUSPENDED" or "DEPROVISIONED")
            {
                return SandboxReply.Error(403, "E0000038", "This operation is not allowed in the user's current status.");
            }

            if (user.Status == "LOCKED_OUT")
            {
                return SandboxReply.Error(403, "E0000069", "User Locked");
            }

            var type = Text(factor, "factorType");
            if (type != "push")
            {
                // The sandbox answers verifyFactor for Okta Verify push only; it says so rather than pretend.
                return VerifyValidation($"factorType: the sandbox verifies push factors only, not {type}.");
            }

            if (Text(factor, "status") != "ACTIVE")
            {
                return VerifyValidation($"The factor is {Text(factor, "status")}: only an ACTIVE factor can be verified.");
            }

            if (string.IsNullOrWhiteSpace(caller.UserAgent))
            {
                return SandboxReply.Error(400, "E0000001", "Api validation failed: User-Agent",
                    "User-Agent: the User-Agent header is required to verify push factors.");
            }

            if (PushBodyProblem(body) is { } bodyProblem)
            {
                return VerifyValidation(bodyProblem);
            }

            var now = _timeProvider.GetUtcNow();
            var challenge = new SandboxPushChallenge(user.Id, factorId, "v2mst." + RandomNumberGenerator.GetString(Base64UrlAlphabet, 22),
                now + SandboxPushChallenge.Lifetime);
            _pushChallenges[challenge.TransactionId] = challenge;
            return new SandboxReply(201, new JsonObject
            {
                ["expiresAt"] = SandboxFactorFactory.Timestamp(challenge.ExpiresAt),
                ["factorResult"] = "WAITING",
                ["_links"] = WaitingLinks(challenge),
            });
        }
    }

    public SandboxReply GetFactorTransaction(string userId, string factorId, string transactionId)
    {
        lock (_gate)
        {
            var (_, factor, problem) = FindFactor(userId, factorId);
            if (problem is not null)
            {
                return problem;
            }

            // A transaction is read only under the user and factor it was issued for.
            if (!_pushChallenges.TryGetValue(transactionId, out var challenge) || challenge.UserId != Find(userId)!.Id || challenge.FactorId != factorId)
            {
                return SandboxReply.Error(404, "E0000191", "Verification timed out. Please try again.");
            }

            var result = challenge.Result(_timeProvider.GetUtcNow());
            var credential = new JsonObject { ["credentialId"] = Text(factor!["profile"], "credentialId") ?? Find(userId)!.Login };
            return SandboxReply.Ok(result switch
            {
                "WAITING" => new JsonObject
                {
                    ["expiresAt"] = SandboxFactorFactory.Timestamp(challenge.ExpiresAt),
                    ["factorResult"] = result,
                    ["profile"] = credential,
                    ["_links"] = WaitingLinks(challenge),
                },
                // Okta's UserFactorVerifyPushTransactionApproved example: the result alone.
                "SUCCESS" => new JsonObject { ["factorResult"] = result },
                _ => new JsonObject
                {
                    ["factorResult"] = result,
                    ["profile"] = credential,
                    ["_links"] = FinishedLinks(challenge),
                },
            });
        }
    }

    /// <summary>Push challenges the device could answer now.</summary>
    public IReadOnlyList<PendingPushChallenge> PendingPushChallenges()
    {
        lock (_gate)
        {
            var now = _timeProvider.GetUtcNow();
            return _pushChallenges.Values
                .Where(c => c.Result(now) == "WAITING" && ActivePush(c) is not null)
                .OrderBy(c => c.ExpiresAt)
                .Select(c => new PendingPushChallenge(c.UserId, c.FactorId, c.TransactionId, c.ExpiresAt))
                .ToArray();
        }
    }

    /// <summary>The device approves (SUCCESS) or rejects (REJECTED) a waiting push; false if none is waiting.</summary>
    public bool DecidePushChallenge(string userId, string transactionId, bool approve)
    {
        lock (_gate)
        {
            if (!_pushChallenges.TryGetValue(transactionId, out var challenge) || Find(userId) is not { } user || challenge.UserId != user.Id ||
                challenge.Result(_timeProvider.GetUtcNow()) != "WAITING" || ActivePush(challenge) is not { } factor)
            {
                return false;
            }

            challenge.State = approve ? PushChallengeState.Approved : PushChallengeState.Rejected;
            // The user authenticated (or refused to) on their own device: they are the actor.
            _log.Record("user.authentication.auth_via_mfa", "Authentication of user via MFA", UserParty(user), [UserParty(user), FactorParty(factor)],
                _timeProvider.GetUtcNow(), approve ? "SUCCESS" : "FAILURE", approve ? null : "User rejected Okta Verify push",
                requestUri: $"/api/v1/users/{user.Id}/factors/{challenge.FactorId}/verify");
            return true;
        }
    }

    /// <summary>The challenge's factor if it is still an active push factor of its user (a reset in between voids it).</summary>
    private JsonObject? ActivePush(SandboxPushChallenge challenge) =>
        Find(challenge.UserId)?.Factors.FirstOrDefault(f => Text(f, "id") == challenge.FactorId && Text(f, "status") == "ACTIVE");

    /// <summary>
    /// A standard push challenge has no body. Okta's number-matching variant (<c>useNumberMatchingChallenge: true</c>)
    /// is not simulated, and a passcode means nothing to a push factor: both are refused rather than ignored.
    /// </summary>
    private static string? PushBodyProblem(JsonNode? body) => body switch
    {
        null => null,
        JsonObject { Count: 0 } => null,
        JsonObject obj when obj.Count == 1 && obj["useNumberMatchingChallenge"] is JsonValue v && v.GetValueKind() == JsonValueKind.False => null,
        JsonObject obj when obj["useNumberMatchingChallenge"] is JsonValue v && v.GetValueKind() == JsonValueKind.True =>
            "useNumberMatchingChallenge: the sandbox does not simulate number matching challenges; send the push with no body.",
        _ => "A push challenge is issued by a request without a body.",
    };

    private static SandboxReply VerifyValidation(string cause) => SandboxReply.Error(400, "E0000001", "Api validation failed: factor", cause);

    private JsonObject WaitingLinks(SandboxPushChallenge challenge)
    {
        var href = $"{_baseUrl().GetLeftPart(UriPartial.Authority)}/api/v1/users/{challenge.UserId}/factors/{challenge.FactorId}/transactions/{challenge.TransactionId}";
        return new JsonObject
        {
            ["poll"] = new JsonObject { ["href"] = href, ["hints"] = new JsonObject { ["allow"] = new JsonArray("GET") } },
            ["cancel"] = new JsonObject { ["href"] = href, ["hints"] = new JsonObject { ["allow"] = new JsonArray("DELETE") } },
        };
    }

    private JsonObject FinishedLinks(SandboxPushChallenge challenge)
    {
        var factor = $"{_baseUrl().GetLeftPart(UriPartial.Authority)}/api/v1/users/{challenge.UserId}/factors/{challenge.FactorId}";
        return new JsonObject
        {
            ["verify"] = new JsonObject { ["href"] = factor + "/verify", ["hints"] = new JsonObject { ["allow"] = new JsonArray("POST") } },
            ["factor"] = new JsonObject { ["href"] = factor, ["hints"] = new JsonObject { ["allow"] = new JsonArray("GET", "DELETE") } },
        };
    }
}
