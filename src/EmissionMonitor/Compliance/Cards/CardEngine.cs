namespace EmissionMonitor.Compliance.Cards;

/// <summary>
/// The quarterly yellow/red rule of DOMAIN.md section 0. Yellow when a quarter meets a yellow
/// condition (exceedance rate ≥ Cards:YellowRate for a totalled pollutant at any outlet, or over
/// total); red when it meets one again while a card of the previous Cards:RectificationQuarters
/// quarters is not lifted or dismissed (proposed and confirmed cards escalate). A card is listed only
/// in quarters whose conditions are met — except a confirmed card, listed with
/// <see cref="Card.ConditionsMet"/> false (as confirmed: colour and reasons) until it is lifted; a
/// lifted card stays listed with its lift and does not escalate. Pure: conditions, lifts and decisions in.
/// </summary>
public sealed class CardEngine(CardOptions options)
{
    /// <summary>
    /// The cards of one enterprise over consecutive quarters in order; <paramref name="conditions"/>
    /// gives each quarter's yellow-condition reasons (empty when none is met).
    /// </summary>
    public IReadOnlyList<Card> Cards(string enterprise, IReadOnlyList<(string Quarter, IReadOnlyList<CardReason> Reasons)> conditions, IReadOnlyList<CardLift> lifts,
        IReadOnlyList<CardDecision>? decisions = null)
    {
        var cards = new List<Card>();
        var byQuarter = new Dictionary<int, Card>();
        for (int i = 0; i < conditions.Count; i++)
        {
            var (quarter, reasons) = conditions[i];
            var lift = lifts.Where(l => l.Enterprise == enterprise && l.Quarter == quarter).OrderBy(l => l.At).FirstOrDefault();
            var decision = decisions?.Where(d => d.Enterprise == enterprise && d.Quarter == quarter).MaxBy(d => d.At);
            Card card;
            if (reasons.Count == 0)
            {
                if (decision is not { Decision: CardDecision.Confirmed } || lift is not null)
                {
                    continue;
                }

                // Confirmed, and late data removed its conditions: it stays, as confirmed, until lifted.
                card = new Card(enterprise, quarter, decision.Colour, decision.Reasons.Select(CardReason.Parse).ToList(), null) { ConditionsMet = false };
            }
            else
            {
                bool escalates = false;
                for (int k = 1; k <= options.RectificationQuarters; k++)
                {
                    if (byQuarter.TryGetValue(i - k, out var earlier) && earlier.Escalates)
                    {
                        escalates = true;
                    }
                }

                card = new Card(enterprise, quarter, escalates ? Card.Red : Card.Yellow, reasons, lift);
            }

            card = card with { Decision = decision, RectifyBy = RectifyBy(quarter) };
            byQuarter[i] = card;
            cards.Add(card);
        }

        return cards;
    }

    /// <summary>The rectification deadline of a quarter's card: the last day of the quarter Cards:RectificationQuarters after it.</summary>
    public DateOnly RectifyBy(string quarter) =>
        DateOnly.FromDateTime(ReportPeriod.Quarter(quarter)!.To.AddMonths(3 * options.RectificationQuarters).AddDays(-1));

    /// <summary>The exceedance-rate reason, or null below the yellow rate: <c>exceedance-rate:a21026:QH0001:25.0%&gt;=20%</c>.</summary>
    public CardReason? ExceedanceReason(string pollutant, string mn, int exceeding, int valid)
    {
        if (valid == 0)
        {
            return null;
        }

        double rate = (double)exceeding / valid;
        return rate >= options.YellowRate ? CardReason.OfExceedanceRate(pollutant, mn, rate, options.YellowRate) : null;
    }

    /// <summary>The over-total reason: <c>over-total:a21002::131.2t&gt;122.4t</c>.</summary>
    public static CardReason OverTotalReason(string pollutant, double ytdKg, double permitKg) => CardReason.OfOverTotal(pollutant, ytdKg, permitKg);
}
