using System.Globalization;

namespace HealthcareOrleans.PatientFlow.Gold;

/// <summary>
/// dim_date rows. The calendar covers whole years from the first to the last year the facts mention: Power BI wants a
/// contiguous date table that spans every fact date, and whole years make year-to-date and same-period-last-year
/// measures work without gaps, while the table changes only when the data crosses into a new year.
/// </summary>
public static class DateDimensionBuilder
{
    public static List<DimDateRow> Build((DateOnly First, DateOnly Last)? span)
    {
        if (span is not { } s)
        {
            return [];
        }

        var names = CultureInfo.InvariantCulture.DateTimeFormat;
        List<DimDateRow> rows = [];
        for (var date = new DateOnly(s.First.Year, 1, 1); date <= new DateOnly(s.Last.Year, 12, 31); date = date.AddDays(1))
        {
            var dateTime = date.ToDateTime(TimeOnly.MinValue);
            var isoDay = date.DayOfWeek == DayOfWeek.Sunday ? 7 : (int)date.DayOfWeek;
            rows.Add(new DimDateRow(
                GoldKeys.DateKey(date),
                date,
                date.Year,
                ((date.Month - 1) / 3) + 1,
                date.Month,
                names.GetMonthName(date.Month),
                date.Day,
                isoDay,
                names.GetDayName(date.DayOfWeek),
                isoDay >= 6,
                ISOWeek.GetWeekOfYear(dateTime),
                ISOWeek.GetYear(dateTime)));
        }

        return rows;
    }
}
