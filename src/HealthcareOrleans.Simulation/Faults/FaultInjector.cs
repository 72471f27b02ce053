using HealthcareOrleans.Simulation.Model;
using HealthcareOrleans.Simulation.Output;

namespace HealthcareOrleans.Simulation.Faults;

/// <summary>
/// Turns the clean event stream into the stream a real feed delivers: some messages twice, some overtaken by a later
/// event of the same patient, some late, plus corrupted extras. Each event draws at most one fault; a fault that
/// cannot apply to this event is owed to the next one that can take it, so delivered counts track the rates.
/// </summary>
internal sealed class FaultInjector(FaultInjectionOptions options, MessageCorruptor corruptor, Random random)
{
    /// <summary>How many upcoming messages an out-of-order event may be swapped behind: a few hours of a hospital's traffic.</summary>
    public const int Window = 64;

    private static readonly TimeSpan ShortestDelay = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan LongestDelay = TimeSpan.FromMinutes(30);

    public IEnumerable<OutgoingMessage> Apply(IEnumerable<MessageDraft> drafts)
    {
        if (!options.IsEnabled)
        {
            foreach (var draft in drafts)
            {
                yield return draft.AsIs();
            }

            yield break;
        }

        var window = new List<MessageDraft>(Window + 1);
        var held = new PriorityQueue<OutgoingMessage, (long Ticks, long Order)>();
        var heldOrder = 0L;
        var owed = new int[FaultKinds.All.Count];
        using var source = drafts.GetEnumerator();
        while (true)
        {
            while (window.Count < Window && source.MoveNext())
            {
                window.Add(source.Current);
            }

            if (window.Count == 0)
            {
                break;
            }

            var head = window[0];
            window.RemoveAt(0);
            while (held.TryPeek(out var late, out _) && late.ReleaseAt <= head.At)
            {
                yield return held.Dequeue();
            }

            Draw(owed);
            var partner = -1;
            var fault = Choose(head, window, owed, ref partner);
            switch (fault)
            {
                case null:
                    yield return head.AsIs();
                    break;
                case FaultKind.Duplicate:
                    yield return head.AsIs();
                    yield return head.AsIs(FaultKind.Duplicate);
                    break;
                case FaultKind.OutOfOrder:
                    var later = window[partner];
                    window.RemoveAt(partner);
                    yield return later.AsIs();
                    yield return head.AsIs(FaultKind.OutOfOrder, releaseAt: later.At);
                    break;
                case FaultKind.Late:
                    var releaseAt = head.At + random.Uniform(ShortestDelay, LongestDelay);
                    held.Enqueue(head.AsIs(FaultKind.Late, releaseAt), (releaseAt.UtcTicks, heldOrder++));
                    break;
                case FaultKind.MalformedJson:
                    yield return head.AsIs();
                    yield return corruptor.Malformed(head, random);
                    break;
                case FaultKind.UnknownWard:
                    yield return head.AsIs();
                    yield return corruptor.UnknownWard(head, random);
                    break;
                case FaultKind.ImpossibleTime:
                    yield return head.AsIs();
                    yield return corruptor.ImpossibleTime(head, random);
                    break;
                default:
                    throw new InvalidOperationException($"Unhandled fault {fault}.");
            }
        }

        // Only a finite source ends: deliver what is still held rather than lose it.
        while (held.TryDequeue(out var late, out _))
        {
            yield return late;
        }
    }

    private void Draw(int[] owed)
    {
        var draw = random.NextDouble();
        var cumulative = 0.0;
        foreach (var kind in FaultKinds.All)
        {
            cumulative += options.RateOf(kind);
            if (draw < cumulative)
            {
                owed[(int)kind]++;
                return;
            }
        }
    }

    private FaultKind? Choose(MessageDraft head, List<MessageDraft> window, int[] owed, ref int partner)
    {
        foreach (var kind in FaultKinds.All)
        {
            if (owed[(int)kind] == 0)
            {
                continue;
            }

            var applicable = kind switch
            {
                FaultKind.OutOfOrder => (partner = window.FindIndex(d => string.Equals(d.Key, head.Key, StringComparison.Ordinal))) >= 0,
                FaultKind.UnknownWard => corruptor.CanNameUnknownWard(head),
                _ => true,
            };
            if (applicable)
            {
                owed[(int)kind]--;
                return kind;
            }
        }

        return null;
    }
}
