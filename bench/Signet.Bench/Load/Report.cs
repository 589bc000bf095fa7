using System.Globalization;
using System.Text.Json;
using ScottPlot;

namespace Signet.Bench.Load;

/// <summary>One bar of a scenario's chart.</summary>
internal sealed record ChartBar(string Label, double Value);

/// <summary>Writes a scenario's figures: <c>&lt;dir&gt;/&lt;scenario&gt;.json</c>, a table on the console and a PNG bar chart.</summary>
internal static class Report
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static void Write(string outputDirectory, string scenario, object figures, IEnumerable<(string Name, string Value)> rows,
        string chartTitle, string yLabel, IReadOnlyList<ChartBar> bars)
    {
        Directory.CreateDirectory(outputDirectory);
        var jsonPath = Path.Combine(outputDirectory, scenario + ".json");
        File.WriteAllText(jsonPath, JsonSerializer.Serialize(figures, figures.GetType(), Json));

        var table = rows.ToList();
        var width = table.Max(r => r.Name.Length);
        Console.WriteLine();
        Console.WriteLine($"== {scenario} ==");
        foreach (var (name, value) in table)
        {
            Console.WriteLine($"{name.PadRight(width)}  {value}");
        }

        var pngPath = Path.Combine(outputDirectory, scenario + ".png");
        DrawChart(pngPath, chartTitle, yLabel, bars);
        Console.WriteLine($"written: {jsonPath}, {pngPath}");
    }

    /// <summary>The file name of a scenario's figures: the scenario, then the CA key and database when not the defaults,
    /// so runs with other options do not overwrite each other.</summary>
    public static string Name(string scenario, BenchArguments arguments) =>
        scenario + (arguments.CaKey is { } key ? "-" + key.ToLowerInvariant() : "") +
        (arguments.Database == BenchDatabaseKind.PostgreSql ? "-postgres" : "");

    public static string Number(double value, string format = "N0") => value.ToString(format, CultureInfo.InvariantCulture);

    private static void DrawChart(string path, string title, string yLabel, IReadOnlyList<ChartBar> bars)
    {
        var plot = new Plot();
        var positions = new double[bars.Count];
        var labels = new string[bars.Count];
        for (var i = 0; i < bars.Count; i++)
        {
            positions[i] = i;
            labels[i] = bars[i].Label;
            plot.Add.Bar(new Bar { Position = i, Value = bars[i].Value, Label = Number(bars[i].Value), FillColor = Colors.Category10[i % 10] });
        }

        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(positions, labels);
        plot.Axes.Margins(bottom: 0);
        plot.Title(title);
        plot.YLabel(yLabel);
        plot.SavePng(path, 900, 520);
    }
}
