using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ChatOpsMfa.Cards;

namespace ChatOpsMfa.Okta.Sandbox;

/// <summary>
/// The sandbox's users and what Okta would do to them. All state changes happen under one lock, so parallel
/// requests see a consistent directory. Activation follows Okta's published rules: codes sent to a sandbox inbox,
/// five attempts within five minutes, one SMS or call per phone every 30 s (one email every 5 s), push activations
/// that a simulated Okta Verify device approves or cancels and that time out at <c>expiresAt</c>.
/// </summary>
internal sealed partial class SandboxDirectory
{
    private readonly Lock _gate = new();
    private readonly TimeProvider _timeProvider;
    private readonly Func<Uri> _baseUrl;
    private readonly SandboxFactorFactory _factors;
    private readonly List<SandboxUser> _users;
    private readonly Dictionary<string, SandboxActivation> _activations = new(StringComparer.Ordinal);
    private readonly List<SandboxInboxMessage> _inbox = [];
    private readonly Dictionary<string, DateTimeOffset> _lastChallenge = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SandboxPushChallenge> _pushChallenges = new(StringComparer.Ordinal);
    private readonly SandboxSystemLog _log;

    /// <summary>Okta's per-device limits on sending a one-time code (resendEnrollFactor's description; error catalogue).</summary>
    private static readonly IReadOnlyDictionary<string, (TimeSpan Interval, string ErrorCode, string Summary)> SendLimits =
        new Dictionary<string, (TimeSpan, string, string)>(StringComparer.Ordinal)
        {
            ["sms"] = (TimeSpan.FromSeconds(30), "E0000109", "An SMS message was recently sent. Please wait 30 seconds before trying again."),
            ["call"] = (TimeSpan.FromSeconds(30), "E0000133", "A phone call was recently made. Please wait 30 seconds before trying again."),
            ["email"] = (TimeSpan.FromSeconds(5), "E0000118", "An email was recently sent. Please wait 5 seconds before trying again."),
        };

    /// <summary>enrollFactor's <c>tokenLifetimeSeconds</c> default: a code is valid for five minutes.</summary>
    public static readonly TimeSpan DefaultCodeLifetime = TimeSpan.FromSeconds(300);

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
        _log = new SandboxSystemLog(baseUrl);
        foreach (var (at, user, country, newCountry) in OktaSandboxSeed.SignInHistory(timeProvider.GetUtcNow(), _users))
        {
            _log.Record("user.session.start", "User login to Okta", UserParty(user), [], at, country: country, newCountry: newCountry,
                requestUri: "/idp/idx/authenticators/poll");
        }
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

    public SandboxReply ResetFactors(string idOrLogin, SandboxCaller? caller = null)
    {
        lock (_gate)
        {
            var user = Find(idOrLogin);
            if (user is null)
            {
                return SandboxReply.UserNotFound(idOrLogin);
            }

            foreach (var factor in user.Factors)
            {
                _activations.Remove(Text(factor, "id")!);
            }

            user.Factors.Clear();
            LogAdminAction("user.mfa.factor.reset_all", "Reset all factors for user", user, null, caller);
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

    public SandboxReply EnrollFactor(string userId, JsonNode? body, bool activate, TimeSpan codeLifetime)
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
                _activations.Remove(Text(existing, "id")!);
            }

            var factor = _factors.Enrol(user, kind, profile, activate);
            user.Factors.Add(factor);
            if (Text(factor, "status") == "PENDING_ACTIVATION")
            {
                StartActivation(user, factor, codeLifetime);
            }

            return SandboxReply.Ok(factor.DeepClone());
        }
    }

    public SandboxReply GetFactor(string userId, string factorId)
    {
        lock (_gate)
        {
            var (_, factor, problem) = FindFactor(userId, factorId);
            return problem ?? SandboxReply.Ok(SandboxFactorFactory.ForListing(factor!));
        }
    }

    public SandboxReply UnenrollFactor(string userId, string factorId, SandboxCaller? caller = null)
    {
        lock (_gate)
        {
            var (user, factor, problem) = FindFactor(userId, factorId);
            if (problem is not null)
            {
                return problem;
            }

            if (user!.Status == "DEPROVISIONED")
            {
                return SandboxReply.Error(403, "E0000038", "This operation is not allowed in the user's current status.");
            }

            Remove(user, factor!);
            LogAdminAction("user.mfa.factor.deactivate", "Reset factor for user", user, factor, caller);
            // Okta: unenrolling push also unenrols the Okta Verify TOTP that belongs to the same authenticator.
            if (Text(factor, "factorType") == "push")
            {
                foreach (var sibling in user.Factors.Where(f => Text(f, "factorType") == "token:software:totp" && Text(f, "provider") == "OKTA").ToArray())
                {
                    Remove(user, sibling);
                    LogAdminAction("user.mfa.factor.deactivate", "Reset factor for user", user, sibling, caller);
                }
            }

            return new SandboxReply(204, null);
        }
    }

    /// <summary>resendEnrollFactor: a new code for a pending sms, call or email factor, within Okta's limits.</summary>
    public SandboxReply ResendFactor(string userId, string factorId, JsonNode? body)
    {
        lock (_gate)
        {
            var (user, factor, problem) = FindFactor(userId, factorId);
            if (problem is not null)
            {
                return problem;
            }

            var type = Text(factor, "factorType")!;
            if (body is not JsonObject)
            {
                return SandboxReply.Error(400, "E0000003", "The request body was not well-formed.");
            }

            if (type is not ("sms" or "call" or "email"))
            {
                return ResendValidation($"factorType: A resend is only possible for sms, call and email factors, not {type}.");
            }

            if (!string.Equals(Text(body, "factorType"), type, StringComparison.OrdinalIgnoreCase) ||
                !string.Equals(Text(body, "provider") ?? "OKTA", Text(factor, "provider"), StringComparison.OrdinalIgnoreCase))
            {
                return ResendValidation("factorType: The factor type and provider must be those of the factor.");
            }

            if (Text(factor, "status") != "PENDING_ACTIVATION" || !_activations.TryGetValue(factorId, out var activation))
            {
                return ResendValidation("The factor is not pending activation.");
            }

            var now = _timeProvider.GetUtcNow();
            // Okta: no resend once the factor has used up its activation attempts.
            if (activation.AttemptsExhausted(now))
            {
                return TooManyAttempts();
            }

            var destination = Destination(user!, factor!, type);
            if (SendLimited(type, destination, now) is { } limited)
            {
                return limited;
            }

            SendCode(user!, activation, type, destination, now);
            return SandboxReply.Ok(factor!.DeepClone());
        }
    }

    /// <summary>A push factor's <c>send</c> links: the activation link by email or SMS, for someone who cannot scan the QR.</summary>
    public SandboxReply SendActivationLink(string userId, string factorId, string channel, JsonNode? body)
    {
        lock (_gate)
        {
            var (user, factor, problem) = FindFactor(userId, factorId);
            if (problem is not null)
            {
                return problem;
            }

            var now = _timeProvider.GetUtcNow();
            if (Text(factor, "factorType") != "push" || !_activations.TryGetValue(factorId, out var activation) || activation.PushResult(now) != "WAITING")
            {
                return SandboxReply.Error(400, "E0000001", "Api validation failed: factor", "The factor has no push activation waiting.");
            }

            string destination;
            if (channel == "sms")
            {
                var phone = Text(body?["profile"], "phoneNumber");
                if (phone is null || !E164().IsMatch(phone.Replace("-", "", StringComparison.Ordinal)))
                {
                    return SandboxReply.Error(400, "E0000001", "Api validation failed: factor", "phoneNumber: The format of the phone number is invalid.");
                }

                destination = phone;
            }
            else
            {
                destination = user!.Email;
            }

            if (SendLimited(channel, destination, now) is { } limited)
            {
                return limited;
            }

            Deliver(user!.Id, channel, destination, $"Set up Okta Verify: open this activation link on your phone: {EnrolmentUri(activation)}", now);
            return SandboxReply.Ok(factor!.DeepClone());
        }
    }

    /// <summary>The PNG behind a factor's <c>qrcode</c> link, while its activation is open; null otherwise.</summary>
    public byte[]? QrCode(string userId, string factorId, string token)
    {
        lock (_gate)
        {
            var (user, factor, problem) = FindFactor(userId, factorId);
            if (problem is not null || Text(factor, "status") != "PENDING_ACTIVATION" ||
                !_activations.TryGetValue(factorId, out var activation) || activation.PushToken is not { } expected ||
                !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(token)))
            {
                return null;
            }

            var now = _timeProvider.GetUtcNow();
            if (activation.FactorType == "push")
            {
                return activation.PushResult(now) == "WAITING"
                    ? QrCodeImage.Render(EnrolmentUri(activation), "Okta Verify activation QR code", "okta-verify.png").Png
                    : null;
            }

            var secret = Text(factor!["_embedded"]?["activation"], "sharedSecret");
            return secret is null
                ? null
                : QrCodeImage.Render(QrCodeImage.TotpUri("Okta Sandbox", user!.Login, secret), "Authenticator setup QR code", "totp.png").Png;
        }
    }

    /// <summary>The Okta Verify enrolments a device could scan now.</summary>
    public IReadOnlyList<PendingPushActivation> PendingPushActivations()
    {
        lock (_gate)
        {
            var now = _timeProvider.GetUtcNow();
            return _activations.Values
                .Where(a => a.FactorType == "push" && a.PushResult(now) == "WAITING")
                .Select(a => new PendingPushActivation(a.UserId, a.FactorId, a.PushExpiresAt))
                .ToArray();
        }
    }

    /// <summary>The simulated device scans the QR and completes enrolment: the factor is ACTIVE. False if none is waiting.</summary>
    public bool ApprovePushActivation(string userId, string factorId)
    {
        lock (_gate)
        {
            if (WaitingPush(userId, factorId) is not { } waiting)
            {
                return false;
            }

            var (activation, factor) = waiting;
            activation.PushState = PushActivationState.Approved;
            _activations.Remove(factorId);
            // Okta's ActivateFactorPushResponse: the device describes itself in the profile.
            factor["profile"] = new JsonObject
            {
                ["credentialId"] = Find(userId)!.Login,
                ["deviceType"] = "SmartPhone_IPhone",
                ["name"] = "Sandbox phone",
                ["platform"] = "IOS",
                ["version"] = "9.0",
            };
            SandboxFactorFactory.MarkActive(factor, _timeProvider.GetUtcNow());
            LogAdminAction("user.mfa.factor.activate", "Activate factor for user", Find(userId)!, factor, null);
            return true;
        }
    }

    /// <summary>The simulated device backs out of the enrolment: the activation ends as Okta's CANCELLED. False if none is waiting.</summary>
    public bool RejectPushActivation(string userId, string factorId)
    {
        lock (_gate)
        {
            if (WaitingPush(userId, factorId) is not { } waiting)
            {
                return false;
            }

            waiting.Activation.PushState = PushActivationState.Cancelled;
            return true;
        }
    }

    /// <summary>Everything the sandbox "sent", oldest first.</summary>
    public IReadOnlyList<SandboxInboxMessage> Inbox()
    {
        lock (_gate)
        {
            return _inbox.ToArray();
        }
    }

    public SandboxReply ActivateFactor(string userId, string factorId, JsonNode? body, SandboxCaller? caller = null)
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

            var type = Text(factor, "factorType");
            // Polling a push activation the device has completed answers the factor, now ACTIVE.
            if (type == "push" && Text(factor, "status") == "ACTIVE")
            {
                return SandboxReply.Ok(factor.DeepClone());
            }

            if (Text(factor, "status") != "PENDING_ACTIVATION")
            {
                return SandboxReply.Error(400, "E0000001", "Api validation failed: factor", "The factor is not pending activation.");
            }

            var now = _timeProvider.GetUtcNow();
            _activations.TryGetValue(factorId, out var activation);
            if (type == "push")
            {
                return PollPush(factor, activation, now);
            }

            // Okta: five activation attempts within five minutes; the sixth is refused whatever the code.
            if (activation is not null)
            {
                if (activation.AttemptsExhausted(now))
                {
                    return TooManyAttempts();
                }

                activation.RecordAttempt(now);
            }

            var passCode = Text(body, "passCode");
            var secret = Text(factor["_embedded"]?["activation"], "sharedSecret");
            var codeOk = type switch
            {
                "token:software:totp" => secret is not null && SandboxTotp.Matches(secret, passCode, now),
                // The code the sandbox sent to its inbox, until it expires or a resend replaces it.
                "sms" or "call" or "email" => activation is not null && activation.CodeMatches(passCode, now),
                _ => true,
            };
            if (!codeOk)
            {
                return SandboxReply.Error(403, "E0000068", "Invalid Passcode/Answer",
                    "Your passcode doesn't match our records. Please try again.");
            }

            _activations.Remove(factorId);
            SandboxFactorFactory.MarkActive(factor, _timeProvider.GetUtcNow());
            LogAdminAction("user.mfa.factor.activate", "Activate factor for user", user, factor, caller);
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

    /// <summary>revokeUserSessions: remembered (with whether OAuth tokens went too) and logged as <c>user.session.clear</c>.</summary>
    public SandboxReply RevokeSessions(string userId, bool oauthTokens, SandboxCaller? caller = null)
    {
        lock (_gate)
        {
            if (Find(userId) is not { } user)
            {
                return SandboxReply.UserNotFound(userId);
            }

            user.SessionRevocations.Add(new SessionRevocation(_timeProvider.GetUtcNow(), oauthTokens));
            LogAdminAction("user.session.clear", "User session cleared by admin", user, null, caller);
            return new SandboxReply(204, null);
        }
    }

    public IReadOnlyList<SessionRevocation> SessionRevocations(string userId)
    {
        lock (_gate)
        {
            return Find(userId)?.SessionRevocations.ToArray() ?? [];
        }
    }

    /// <summary>listLogEvents over the sandbox's System Log.</summary>
    public SandboxReply ListLogEvents(IReadOnlyList<KeyValuePair<string, string>> query)
    {
        lock (_gate)
        {
            return _log.Query(query, _timeProvider.GetUtcNow());
        }
    }

    /// <summary>Test hook: an event as Okta would have logged it (a sign-in abroad, admin console access, ...).</summary>
    public void AddLogEvent(SandboxLogEntry entry)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(entry.EventType);
        ArgumentException.ThrowIfNullOrWhiteSpace(entry.ActorId);
        lock (_gate)
        {
            _log.Record(entry.EventType, entry.DisplayMessage, PartyFor(entry.ActorId), [.. entry.TargetIds.Select(PartyFor)],
                entry.Published ?? _timeProvider.GetUtcNow(), entry.OutcomeResult,
                country: entry.Country, city: entry.City, newCountry: entry.NewCountry);
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

    private static SandboxLogParty UserParty(SandboxUser user) => new(user.Id, "User", user.Login, user.DisplayName);

    private static readonly SandboxLogParty ServiceAdmin =
        new(OktaSandboxSeed.ServiceAdminId, "User", OktaSandboxSeed.ServiceAdminLogin, OktaSandboxSeed.ServiceAdminDisplayName);

    /// <summary>A user the log names by id: a directory user, the service admin, or an id Okta no longer knows.</summary>
    private SandboxLogParty PartyFor(string id) =>
        _users.FirstOrDefault(u => u.Id == id) is { } user ? UserParty(user)
        : id == OktaSandboxSeed.ServiceAdminId ? ServiceAdmin
        : new SandboxLogParty(id, "User", "unknown", "unknown");

    private static SandboxLogParty FactorParty(JsonObject factor) =>
        new(Text(factor, "id")!, "AuthenticatorEnrollment", "unknown", FactorCatalog.Find(Text(factor, "factorType"), Text(factor, "provider"))?.Label ?? Text(factor, "factorType")!);

    /// <summary>Something done through the Management API: the actor is the API token's admin, the target the user (and factor).</summary>
    private void LogAdminAction(string eventType, string displayMessage, SandboxUser user, JsonObject? factor, SandboxCaller? caller)
    {
        SandboxLogParty[] targets = factor is null ? [UserParty(user)] : [UserParty(user), FactorParty(factor)];
        _log.Record(eventType, displayMessage, ServiceAdmin, targets, _timeProvider.GetUtcNow(),
            caller: caller ?? SandboxCaller.Unknown, requestUri: caller?.RequestUri, viaApiToken: true);
    }

    private (SandboxUser? User, JsonObject? Factor, SandboxReply? Problem) FindFactor(string userId, string factorId)
    {
        var user = Find(userId);
        if (user is null)
        {
            return (null, null, SandboxReply.UserNotFound(userId));
        }

        var factor = user.Factors.FirstOrDefault(f => Text(f, "id") == factorId);
        return factor is null ? (user, null, SandboxReply.FactorNotFound(factorId)) : (user, factor, null);
    }

    private void Remove(SandboxUser user, JsonObject factor)
    {
        user.Factors.Remove(factor);
        _activations.Remove(Text(factor, "id")!);
    }

    /// <summary>Remembers what the new pending factor needs to activate and, for sms/call/email, sends the first code.</summary>
    private void StartActivation(SandboxUser user, JsonObject factor, TimeSpan codeLifetime)
    {
        var type = Text(factor, "factorType")!;
        var factorId = Text(factor, "id")!;
        var now = _timeProvider.GetUtcNow();
        var qrLinks = QrCodeLinks(factor["_embedded"]).ToArray();
        var activationBody = factor["_embedded"]?["activation"] as JsonObject;
        var activation = new SandboxActivation(user.Id, factorId, type, codeLifetime)
        {
            PushToken = qrLinks.Length > 0 ? "00" + RandomNumberGenerator.GetString(TokenAlphabet, 40) : null,
            PushExpiresAt = type == "push" && Text(activationBody, "expiresAt") is { } expires
                ? DateTimeOffset.Parse(expires, System.Globalization.CultureInfo.InvariantCulture)
                : now,
        };
        var origin = _baseUrl().GetLeftPart(UriPartial.Authority);
        foreach (var link in qrLinks)
        {
            link["href"] = $"{origin}/api/v1/users/{user.Id}/factors/{factorId}/qr/{activation.PushToken}";
        }

        _activations[factorId] = activation;
        if (type is "sms" or "call" or "email")
        {
            var destination = Destination(user, factor, type);
            SendCode(user, activation, type, destination, now);
        }
    }

    private SandboxReply PollPush(JsonObject factor, SandboxActivation? activation, DateTimeOffset now)
    {
        if (activation is null)
        {
            return SandboxReply.Error(400, "E0000001", "Api validation failed: factor", "The factor is not pending activation.");
        }

        if (factor["_embedded"]?["activation"] is JsonObject embedded)
        {
            embedded["factorResult"] = activation.PushResult(now);
        }

        return SandboxReply.Ok(factor.DeepClone());
    }

    private (SandboxActivation Activation, JsonObject Factor)? WaitingPush(string userId, string factorId)
    {
        var (_, factor, problem) = FindFactor(userId, factorId);
        return problem is null && Text(factor, "factorType") == "push" &&
               _activations.TryGetValue(factorId, out var activation) && activation.PushResult(_timeProvider.GetUtcNow()) == "WAITING"
            ? (activation, factor!)
            : null;
    }

    private void SendCode(SandboxUser user, SandboxActivation activation, string channel, string destination, DateTimeOffset now)
    {
        var code = activation.IssueCode(now);
        var minutes = (int)Math.Ceiling(activation.CodeLifetime.TotalMinutes);
        Deliver(user.Id, channel, destination, channel switch
        {
            "call" => $"(voice call) Your verification code is {code}. Again: {code}.",
            "email" => $"Your verification code is {code}. It expires in {minutes} minutes.",
            _ => $"Your verification code is {code}.",
        }, now);
    }

    private void Deliver(string userId, string channel, string destination, string text, DateTimeOffset now)
    {
        _lastChallenge[$"{channel}|{Normalise(destination)}"] = now;
        var masked = channel == "email" ? EmailMasking.Mask(destination) : PhoneMasking.Mask(destination);
        _inbox.Add(new SandboxInboxMessage(now, userId, channel, masked, text));
    }

    /// <summary>Okta's one-challenge-per-device interval (SMS and call 30 s, email 5 s).</summary>
    private SandboxReply? SendLimited(string channel, string destination, DateTimeOffset now)
    {
        var limit = SendLimits[channel];
        return _lastChallenge.TryGetValue($"{channel}|{Normalise(destination)}", out var last) && now - last < limit.Interval
            ? SandboxReply.Error(429, limit.ErrorCode, limit.Summary)
            : null;
    }

    private static string Destination(SandboxUser user, JsonObject factor, string channel) =>
        channel == "email" ? Text(factor["profile"], "email") ?? user.Email : Text(factor["profile"], "phoneNumber") ?? "";

    private static string Normalise(string destination) =>
        new string(destination.Where(c => c is not (' ' or '-' or '(' or ')' or '.')).ToArray()).ToLowerInvariant();

    private string EnrolmentUri(SandboxActivation activation) =>
        $"oktaverify://enroll?s={Uri.EscapeDataString(_baseUrl().GetLeftPart(UriPartial.Authority))}&f={activation.FactorId}&t={activation.PushToken}";

    /// <summary>Every <c>qrcode</c> link object under a factor's <c>_embedded</c> (Okta's examples put it at two depths).</summary>
    private static IEnumerable<JsonObject> QrCodeLinks(JsonNode? node) => node switch
    {
        JsonObject obj => obj.SelectMany(p => p.Key == "qrcode" && p.Value is JsonObject link ? [link] : QrCodeLinks(p.Value)).ToArray(),
        JsonArray array => array.SelectMany(QrCodeLinks).ToArray(),
        _ => [],
    };

    private static SandboxReply TooManyAttempts() =>
        SandboxReply.Error(429, "E0000047", "API call exceeded rate limit due to too many requests.");

    private static SandboxReply ResendValidation(string cause) =>
        SandboxReply.Error(400, "E0000001", "Api validation failed: factor", cause);

    private const string TokenAlphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_";

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
        var profile = new JsonObject();
        foreach (var (name, value) in BaseProfile(user))
        {
            profile[name] = value;
        }

        foreach (var (name, value) in user.CustomProfile)
        {
            profile[name] = value;
        }

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
            ["profile"] = profile,
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

    /// <summary>The base (Okta default schema) profile attributes the sandbox keeps, in Okta's order; null when unset.</summary>
    private static IEnumerable<(string Name, string? Value)> BaseProfile(SandboxUser user) =>
    [
        ("firstName", user.FirstName),
        ("lastName", user.LastName),
        ("login", user.Login),
        ("email", user.Email),
        ("title", user.Title),
        ("department", user.Department),
        ("manager", user.Manager),
        ("managerId", user.ManagerId),
        ("mobilePhone", user.MobilePhone),
        ("primaryPhone", user.PrimaryPhone),
    ];

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
}
