using System.CommandLine;
using System.Globalization;
using GanSharp.Data;

namespace GanSharp.Cli;

/// <summary>`gansharp data download mnist|fashion-mnist|cifar10 [--to DIR] [--base-url URL]`: fetches a dataset, checking SHA-256 sums.</summary>
internal static class DataCommand
{
    public static Command Create()
    {
        var name = new Argument<string>("name") { Description = "Dataset to download." };
        name.AcceptOnlyFromAmong([.. DatasetDownloader.Catalogue.Select(s => s.Dataset)]);
        var to = new Option<string?>("--to") { Description = "Target folder (default: the user cache folder the data lookup searches, ~/.cache/gansharp/NAME)." };
        var baseUrl = new Option<string?>("--base-url") { Description = "Mirror URL the file names are appended to (default: the canonical mirror)." };
        var download = new Command("download", "Download a dataset into the folder GanSharp looks in, verifying every file's SHA-256.")
        {
            name, to, baseUrl,
        };
        download.SetAction((parse, cancel) => Download(parse.GetValue(name)!, parse.GetValue(to), parse.GetValue(baseUrl), cancel));
        return new Command("data", "Manage datasets.") { download };
    }

    private static async Task<int> Download(string name, string? to, string? baseUrl, CancellationToken cancel)
    {
        try
        {
            using var downloader = new DatasetDownloader(baseUrl);
            int lastTenth = -1;
            string folder = await downloader.DownloadAsync(name, to,
                log: line =>
                {
                    lastTenth = -1;
                    Console.WriteLine(line);
                },
                progress: (done, total) =>
                {
                    if (total is not > 0) return;
                    int tenth = (int)(done * 10 / total.Value);
                    if (tenth == lastTenth) return;
                    lastTenth = tenth;
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"  {tenth * 10,3}%  {done / 1e6:F1} of {total.Value / 1e6:F1} MB"));
                },
                cancellationToken: cancel);
            Console.WriteLine($"{name} is in {folder}");
            return 0;
        }
        catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException or OperationCanceledException)
        {
            Console.Error.WriteLine($"error: {(e is OperationCanceledException ? "download cancelled or timed out." : e.Message)}");
            return 2;
        }
    }
}
