using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ChatOpsMfa.Okta.Sandbox;

/// <summary>
/// The sandbox's users and what Okta would do to them. All state changes happen under one lock, so parallel
/// requests see a consistent directory.
/// </summary>
internal sealed partial class SandboxDirectory
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _timeProvider;
    private readonly Func<Uri> _baseUrl;
    private readonly SandboxFactorFactory _factors;
    private readonly List<SandboxUser> _users;

    public SandboxDirectory(TimeProvider timeProvider, Func<Uri> baseUrl)
    {
        _timeProvider = timeProvider;
        _baseUrl = baseUrl;
        _factors = new SandboxFactorFactory(timeProvider, baseUrl);
        _users = OktaSandboxSeed.CreateUsers(timeProvider.GetUtcNow(), (user, type, provider) =>
        {
            var factor = _factors.Enrol(user, FactorCatalog.Find(type, provider)!, null, activate: false);
            SandboxFactorFactory.MarkActive(factor, timeProvider.GetUtcNow());
            return factor;
        });
    }

    /// <summary>Adds an active user with no factors (test hook); returns their Okta-shaped id.</summary>
    public string AddUser(string login, string firstName, string lastName, string status)
    {
        lock (_gate)
        {
            if (Find(login) is not null)
            {
                throw new InvalidOperationException($"The sandbox already has a user with the login {login}.");
            }

            var id = "00u" + System.Security.Cryptography.RandomNumberGenerator.GetString("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 17);
            _users.Add(new SandboxUser
            {
                Id = id, Login = login, Email = login, FirstName = firstName, LastName = lastName,
                Status = status, Created = _timeProvider.GetUtcNow(), GroupIds = [OktaSandboxSeed.EveryoneGroupId],
            });
            return id;
        }
    }

    public SandboxReply GetUser(string idOrLogin)
    {
        lock (_gate)
        {
            return Find(idOrLogin) is { } user ? SandboxReply.Ok(UserBody(user)) : SandboxReply.UserNotFound(idOrLogin);
        }
    }

    public SandboxReply ResetFactors(string idOrLogin)
    {
        lock (_gate)
        {
            var user = Find(idOrLogin);
            if (user is null)
            {
                return SandboxReply.UserNotFound(idOrLogin);
            }

            user.Factors.Clear();
            // Okta answers 200 with an empty body, not 204.
            return SandboxReply.Ok(null);
        }
    }

    public SandboxReply ListFactors(string userId)
    {
        lock (_gate)
        {
            return Find(userId) is { } user
                ? SandboxReply.Ok(new JsonArray(user.Factors.Select(f => (JsonNode)SandboxFactorFactory.ForListing(f)).ToArray()))
                : SandboxReply.UserNotFound(userId);
        }
    }

    public SandboxReply EnrollFactor(string userId, JsonNode? body, bool activate)
    {
        lock (_gate)
        {
            var user = Find(userId);
            if (user is null)
            {
                return SandboxReply.UserNotFound(userId);
            }

            var factorType = Text(body, "factorType");
            var provider = Text(body, "provider");
            var kind = FactorCatalog.Find(factorType, provider);
            if (kind is null)
            {
                return SandboxReply.EnrollValidation(factorType is null || provider is null
                    ? "factorType and provider are required."
                    : $"Invalid Factor: the provider '{provider}' does not support factor type '{factorType}'.");
            }

            var profile = body?["profile"] as JsonObject;
            if (ProfileProblem(user, kind, profile) is { } problem)
            {
                return SandboxReply.EnrollValidation(problem);
            }

            var existing = user.Factors.FirstOrDefault(f => Text(f, "factorType") == kind.FactorType && Text(f, "provider") == kind.Provider);
            if (existing is not null && Text(existing, "status") == "ACTIVE")
            {
                return SandboxReply.EnrollValidation(kind.Needs == FactorProfileNeed.PhoneNumber
                    ? "There is an existing verified phone number."
                    : "A factor of this type is already set up.");
            }

            // A factor still waiting for activation is replaced by the new enrolment.
            if (existing is not null)
            {
                user.Factors.Remove(existing);
            }

            var factor = _factors.Enrol(user, kind, profile, activate);
            user.Factors.Add(factor);
            return SandboxReply.Ok(factor.DeepClone());
        }
    }

    public SandboxReply ActivateFactor(string userId, string factorId, JsonNode? body)
    {
        lock (_gate)
        {
            var user = Find(userId);
            if (user is null)
            {
                return SandboxReply.UserNotFound(userId);
            }

            var factor = user.Factors.FirstOrDefault(f => Text(f, "id") == factorId);
            if (factor is null)
            {
                return SandboxReply.FactorNotFound(factorId);
            }

            if (Text(factor, "status") != "PENDING_ACTIVATION")
            {
                return SandboxReply.Error(400, "E0000001", "Api validation failed: factor", "The factor is not pending activation.");
            }

            var passCode = Text(body, "passCode");
            var type = Text(factor, "factorType");
            var secret = Text(factor["_embedded"]?["activation"], "sharedSecret");
            var codeOk = type switch
            {
                "token:software:totp" => secret is not null && SandboxTotp.Matches(secret, passCode, _timeProvider.GetUtcNow()),
                // The sandbox sends no SMS, call or email; any six digits stand for the code the user received.
                "sms" or "call" or "email" => passCode is not null && SixDigits().IsMatch(passCode),
                _ => true,
            };
            if (!codeOk)
            {
                return SandboxReply.Error(403, "E0000068", "Invalid Passcode/Answer",
                    "Your passcode doesn't match our records. Please try again.");
            }

            SandboxFactorFactory.MarkActive(factor, _timeProvider.GetUtcNow());
            return SandboxReply.Ok(factor.DeepClone());
        }
    }

    public SandboxReply ListRoles(string userId)
    {
        lock (_gate)
        {
            var user = Find(userId);
            if (user is null)
            {
                return SandboxReply.UserNotFound(userId);
            }

            var origin = _baseUrl().GetLeftPart(UriPartial.Authority);
            var roles = user.RoleTypes.Select((type, i) => (JsonNode)new JsonObject
            {
                ["id"] = $"ra1{user.Id[3..12]}{i:D8}",
                ["label"] = RoleLabel(type),
                ["type"] = type,
                ["status"] = "ACTIVE",
                ["created"] = SandboxFactorFactory.Timestamp(user.Created),
                ["lastUpdated"] = SandboxFactorFactory.Timestamp(user.Created),
                ["assignmentType"] = "USER",
                ["_links"] = new JsonObject { ["assignee"] = new JsonObject { ["href"] = $"{origin}/api/v1/users/{user.Id}" } },
            });
            return SandboxReply.Ok(new JsonArray(roles.ToArray()));
        }
    }

    public SandboxReply ListGroups(string userId)
    {
        lock (_gate)
        {
            var user = Find(userId);
            if (user is null)
            {
                return SandboxReply.UserNotFound(userId);
            }

            var groups = user.GroupIds.Select(id => (JsonNode)new JsonObject
            {
                ["id"] = id,
                ["created"] = SandboxFactorFactory.Timestamp(user.Created),
                ["lastUpdated"] = SandboxFactorFactory.Timestamp(user.Created),
                ["lastMembershipUpdated"] = SandboxFactorFactory.Timestamp(user.Created),
                ["objectClass"] = new JsonArray("okta:user_group"),
                ["type"] = id == OktaSandboxSeed.EveryoneGroupId ? "BUILT_IN" : "OKTA_GROUP",
                ["profile"] = new JsonObject { ["name"] = OktaSandboxSeed.GroupNames[id], ["description"] = null },
            });
            return SandboxReply.Ok(new JsonArray(groups.ToArray()));
        }
    }

    public SandboxReply RevokeSessions(string userId)
    {
        lock (_gate)
        {
            return Find(userId) is null ? SandboxReply.UserNotFound(userId) : new SandboxReply(204, null);
        }
    }

    /// <summary>Current factors of a user (for tests and the local console), without secrets.</summary>
    public IReadOnlyList<OktaUserFactor>? FactorsOf(string idOrLogin)
    {
        lock (_gate)
        {
            return Find(idOrLogin)?.Factors
                .Select(f => new OktaUserFactor(Text(f, "id")!, Text(f, "factorType")!, Text(f, "provider")!, Text(f, "status")!))
                .ToArray();
        }
    }

    private SandboxUser? Find(string idOrLogin) => _users.FirstOrDefault(u => u.Matches(idOrLogin));

    private static string? ProfileProblem(SandboxUser user, FactorKind kind, JsonObject? profile) => kind.Needs switch
    {
        FactorProfileNeed.PhoneNumber when Text(profile, "phoneNumber") is not { } phone || !E164().IsMatch(phone.Replace("-", "", StringComparison.Ordinal))
            => "phoneNumber: The format of the phone number is invalid.",
        FactorProfileNeed.Email when !string.Equals(Text(profile, "email"), user.Email, StringComparison.OrdinalIgnoreCase)
            => "email: The email must be the user's primary or secondary email.",
        FactorProfileNeed.SecurityQuestion when Text(profile, "question") is null
            => "question: The security question is required.",
        FactorProfileNeed.SecurityQuestion when (Text(profile, "answer")?.Length ?? 0) < 4
            => "answer: The security question answer must be at least 4 characters in length.",
        _ => null,
    };

    private JsonObject UserBody(SandboxUser user)
    {
        var origin = _baseUrl().GetLeftPart(UriPartial.Authority);
        var created = SandboxFactorFactory.Timestamp(user.Created);
        return new JsonObject
        {
            ["id"] = user.Id,
            ["status"] = user.Status,
            ["created"] = created,
            ["activated"] = created,
            ["statusChanged"] = created,
            ["lastLogin"] = user.LastLogin is { } at ? SandboxFactorFactory.Timestamp(at) : null,
            ["lastUpdated"] = created,
            ["passwordChanged"] = created,
            ["type"] = new JsonObject { ["id"] = "otyfnly5cQjJT9PnR0g4" },
            ["profile"] = new JsonObject
            {
                ["firstName"] = user.FirstName,
                ["lastName"] = user.LastName,
                ["login"] = user.Login,
                ["email"] = user.Email,
                ["title"] = user.Title,
                ["department"] = user.Department,
                ["manager"] = user.Manager,
                ["mobilePhone"] = user.MobilePhone,
                ["primaryPhone"] = user.PrimaryPhone,
            },
            ["credentials"] = new JsonObject
            {
                ["provider"] = new JsonObject { ["type"] = "OKTA", ["name"] = "OKTA" },
            },
            ["_links"] = new JsonObject
            {
                ["self"] = new JsonObject { ["href"] = $"{origin}/api/v1/users/{user.Id}" },
                ["resetFactors"] = new JsonObject
                {
                    ["href"] = $"{origin}/api/v1/users/{user.Id}/lifecycle/reset_factors",
                    ["method"] = "POST",
                },
            },
        };
    }

    private static string RoleLabel(string type) => type switch
    {
        "SUPER_ADMIN" => "Super Organization Administrator",
        "ORG_ADMIN" => "Organization Administrator",
        "HELP_DESK_ADMIN" => "Help Desk Administrator",
        "USER_ADMIN" => "Group Administrator",
        "READ_ONLY_ADMIN" => "Read Only Administrator",
        _ => type,
    };

    private static string? Text(JsonNode? node, string name) =>
        node is JsonObject obj && obj.TryGetPropertyValue(name, out var value) && value is JsonValue v && v.TryGetValue<string>(out var s)
            ? s
            : null;

    [GeneratedRegex(@"^\+[1-9]\d{1,14}$")]
    private static partial Regex E164();

    [GeneratedRegex(@"^\d{6}$")]
    private static partial Regex SixDigits();
}
