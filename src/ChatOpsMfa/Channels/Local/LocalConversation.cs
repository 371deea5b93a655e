using System.Globalization;
using System.Text.Json.Nodes;

namespace ChatOpsMfa.Channels.Local;

/// <summary>
/// One Direct Line conversation's history. Every append or update takes the next watermark, so a client that
/// polls with its last watermark sees each change once. Thread-safe; readers get deep copies.
/// </summary>
internal sealed class LocalConversation(string id, bool isGroup, string? ownerUserId, long startOrder, int capacity)
{
    private readonly Lock gate = new();
    private readonly List<StoredActivity> history = [];
    private long lastWatermark;
    private string? owner = ownerUserId;

    public string Id { get; } = id;

    public bool IsGroup { get; } = isGroup;

    /// <summary>Increases with every conversation started, so "latest" does not depend on clock resolution.</summary>
    public long StartOrder { get; } = startOrder;

    /// <summary>The user a personal conversation belongs to; null for the group conversation or before anyone spoke.</summary>
    public string? OwnerUserId
    {
        get { lock (gate) { return owner; } }
    }

    public long LastWatermark
    {
        get { lock (gate) { return lastWatermark; } }
    }

    /// <summary>Sets the owner of a personal conversation if it has none yet; returns the owner after the call.</summary>
    public string? ClaimOwner(string userId)
    {
        lock (gate)
        {
            if (!IsGroup && owner is null)
            {
                owner = userId;
            }

            return owner;
        }
    }

    /// <summary>Appends an activity; <paramref name="build"/> receives the new activity id.</summary>
    public StoredActivity Append(Func<string, JsonObject> build, string? visibleToUserId)
    {
        lock (gate)
        {
            var watermark = ++lastWatermark;
            var activityId = string.Create(CultureInfo.InvariantCulture, $"{Id}|{watermark:D7}");
            var activity = build(activityId);
            activity["id"] = activityId;
            var stored = new StoredActivity(watermark, activityId, activity, visibleToUserId);
            history.Add(stored);
            if (history.Count > capacity)
            {
                history.RemoveRange(0, history.Count - capacity);
            }

            return stored;
        }
    }

    /// <summary>
    /// Re-sends an activity under the same id at a new watermark (Web Chat replaces an activity whose id it already
    /// shows). The old entry is dropped so a client joining later sees only the current version.
    /// Returns null when the activity is no longer (or never was) in the history.
    /// </summary>
    public StoredActivity? Replace(string activityId, Func<StoredActivity, JsonObject> build)
    {
        lock (gate)
        {
            var index = history.FindIndex(a => a.Id == activityId);
            if (index < 0)
            {
                return null;
            }

            var previous = history[index];
            var activity = build(previous);
            activity["id"] = activityId;
            var stored = previous with { Watermark = ++lastWatermark, Activity = activity };
            history.RemoveAt(index);
            history.Add(stored);
            return stored;
        }
    }

    /// <summary>Activities after <paramref name="watermark"/> that <paramref name="viewerUserId"/> may see, and the current watermark.</summary>
    public (IReadOnlyList<JsonObject> Activities, long Watermark) ReadAfter(long watermark, string? viewerUserId)
    {
        lock (gate)
        {
            var visible = history
                .Where(a => a.Watermark > watermark)
                .Where(a => a.VisibleToUserId is null || a.VisibleToUserId == viewerUserId)
                .Select(a => (JsonObject)a.Activity.DeepClone())
                .ToList();
            return (visible, lastWatermark);
        }
    }

    /// <summary>A copy of one activity as stored, for tests and updates.</summary>
    public StoredActivity? Find(string activityId)
    {
        lock (gate)
        {
            var found = history.Find(a => a.Id == activityId);
            return found is null ? null : found with { Activity = (JsonObject)found.Activity.DeepClone() };
        }
    }
}
