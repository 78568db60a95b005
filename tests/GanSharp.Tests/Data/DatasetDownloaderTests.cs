using System.Formats.Tar;
using System.IO.Compression;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using GanSharp.Data;
using static GanSharp.Tests.Data.DataTestFiles;

namespace GanSharp.Tests.Data;

public class DatasetDownloaderTests
{
    // The catalogue's own mirror is a closed loopback port: if the base-URL override were ignored,
    // the test would fail without ever leaving 127.0.0.1.
    private const string UnusedMirror = "http://127.0.0.1:9/unused/";

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private static DownloadFile FileFor(string name, byte[] bytes, bool unpack = false) => new(name, bytes.Length, Sha256(bytes), unpack);

    private static HttpClient LoopbackClient() =>
        new(new SocketsHttpHandler { UseProxy = false, AutomaticDecompression = DecompressionMethods.None }) { Timeout = TimeSpan.FromSeconds(10) };

    private static DatasetDownloader Downloader(LocalServer server, HttpClient http, params DownloadSource[] catalogue) =>
        new(server.BaseUrl, catalogue, http);

    /// <summary>Files and temporary files left anywhere under <paramref name="folder"/>.</summary>
    private static string[] FilesUnder(string folder) =>
        Directory.Exists(folder) ? Directory.GetFiles(folder, "*", SearchOption.AllDirectories) : [];

    [Fact]
    public async Task Download_WritesEachFileWithTheServedBytes_AndSkipsVerifiedFilesNextTime()
    {
        byte[] big = RandomBytes(200_000, 1), small = RandomBytes(1_000, 2);
        using var server = new LocalServer(new() { ["a.bin"] = new(big), ["b.bin"] = new(small) });
        using var http = LoopbackClient();
        using var dir = new TempFolder();
        string folder = dir.Path("out/tiny");
        using var downloader = Downloader(server, http, new DownloadSource("tiny", UnusedMirror, [FileFor("a.bin", big), FileFor("b.bin", small)]));

        var progress = new List<(long Done, long? Total)>();
        var log = new List<string>();
        string result = await downloader.DownloadAsync("tiny", folder, log.Add, (done, total) => progress.Add((done, total)));

        Assert.Equal(Path.GetFullPath(folder), result);
        Assert.Equal(big, File.ReadAllBytes(Path.Combine(folder, "a.bin")));
        Assert.Equal(small, File.ReadAllBytes(Path.Combine(folder, "b.bin")));
        Assert.Equal(2, FilesUnder(folder).Length); // no temporary files left
        Assert.Contains((big.LongLength, (long?)big.Length), progress);
        Assert.Equal((small.LongLength, (long?)small.Length), progress[^1]);
        Assert.Contains(log, line => line.Contains(server.BaseUrl + "a.bin"));
        Assert.Equal(2, server.Requests);

        await downloader.DownloadAsync("tiny", folder, log.Add);
        Assert.Equal(2, server.Requests);
        Assert.Contains(log, line => line.Contains("already downloaded"));
    }

    [Fact]
    public async Task CorruptedPayload_IsRejectedWithBothHashes_AndLeavesNoFile()
    {
        byte[] good = RandomBytes(50_000, 3), bad = (byte[])good.Clone();
        bad[12_345] ^= 0x40;
        using var server = new LocalServer(new() { ["a.bin"] = new(bad) });
        using var http = LoopbackClient();
        using var dir = new TempFolder();
        string folder = dir.Path("out");
        using var downloader = Downloader(server, http, new DownloadSource("tiny", UnusedMirror, [FileFor("a.bin", good)]));

        var e = await Assert.ThrowsAsync<DataFormatException>(() => downloader.DownloadAsync("tiny", folder));

        Assert.Contains(server.BaseUrl + "a.bin", e.Message);
        Assert.Contains(Sha256(good), e.Message);
        Assert.Contains(Sha256(bad), e.Message);
        Assert.Empty(FilesUnder(folder));
    }

    [Fact]
    public async Task MissingFile_GivesAnIOErrorNamingTheUrlAndStatus()
    {
        using var server = new LocalServer([]);
        using var http = LoopbackClient();
        using var dir = new TempFolder();
        string folder = dir.Path("out");
        using var downloader = Downloader(server, http, new DownloadSource("tiny", UnusedMirror, [FileFor("gone.bin", [1, 2, 3])]));

        var e = await Assert.ThrowsAsync<IOException>(() => downloader.DownloadAsync("tiny", folder));

        Assert.IsNotType<DataFormatException>(e);
        Assert.Contains("404", e.Message);
        Assert.Contains(server.BaseUrl + "gone.bin", e.Message);
        Assert.Empty(FilesUnder(folder));
    }

    [Theory]
    [InlineData(true)]  // no Content-Length: cut off while streaming
    [InlineData(false)] // Content-Length larger than declared: refused before reading
    public async Task PayloadLongerThanDeclared_IsCutOffAndRefused(bool chunked)
    {
        byte[] declared = RandomBytes(10_000, 4);
        byte[] served = [.. declared, .. RandomBytes(300_000, 5)];
        using var server = new LocalServer(new() { ["a.bin"] = new(served, chunked) });
        using var http = LoopbackClient();
        using var dir = new TempFolder();
        string folder = dir.Path("out");
        using var downloader = Downloader(server, http, new DownloadSource("tiny", UnusedMirror, [FileFor("a.bin", declared)]));

        long maxSeen = 0;
        var e = await Assert.ThrowsAsync<DataFormatException>(() =>
            downloader.DownloadAsync("tiny", folder, progress: (done, _) => maxSeen = Math.Max(maxSeen, done)));

        Assert.Contains(server.BaseUrl + "a.bin", e.Message);
        Assert.Contains(chunked ? "longer than" : "announces", e.Message);
        Assert.True(maxSeen <= declared.Length, $"read {maxSeen} bytes past the limit");
        Assert.Empty(FilesUnder(folder));
    }

    [Fact]
    public async Task CifarArchive_IsUnpackedIntoTheLayoutDataLocatorReads()
    {
        byte[] archive = TarGz(Enumerable.Range(1, 5).Select(i => ($"cifar-10-batches-bin/data_batch_{i}.bin", Cifar([(byte)i], new byte[3072])))
            .Append(("cifar-10-batches-bin/test_batch.bin", Cifar([7, 8], new byte[2 * 3072])))
            .Append(("cifar-10-batches-bin/readme.html", "hello"u8.ToArray())));
        using var server = new LocalServer(new() { ["cifar-10-binary.tar.gz"] = new(archive) });
        using var http = LoopbackClient();
        using var dir = new TempFolder();
        string folder = dir.Path("out/cifar10");
        using var downloader = Downloader(server, http,
            new DownloadSource("cifar10", UnusedMirror, [FileFor("cifar-10-binary.tar.gz", archive, unpack: true)]));

        await downloader.DownloadAsync("cifar10", folder);

        Assert.False(File.Exists(Path.Combine(folder, "cifar-10-binary.tar.gz")));
        var locator = new DataLocator(folder, _ => null, userProfile: dir.Path("home"), systemRoot: dir.Path("system"));
        Assert.Equal(5, locator.Read("cifar10", "train").Count);
        Assert.Equal(2, locator.Read("cifar10", "test").Count);

        var log = new List<string>();
        await downloader.DownloadAsync("cifar10", folder, log.Add);
        Assert.Equal(1, server.Requests);
        Assert.Contains(log, line => line.Contains("already in"));
    }

    [Theory]
    [InlineData("../escaped.bin")]
    [InlineData("cifar-10-batches-bin/../../escaped.bin")]
    [InlineData("/tmp/gansharp-escaped.bin")]
    public void Unpack_RefusesAbsoluteAndParentPaths(string entryName)
    {
        using var dir = new TempFolder();
        string archive = dir.Write("a.tar.gz", TarGz([(entryName, [1, 2, 3])]));
        string folder = dir.Path("out/x");
        Directory.CreateDirectory(folder);

        var e = Assert.Throws<DataFormatException>(() => DatasetDownloader.Unpack(archive, folder));

        Assert.Contains(entryName, e.Message);
        Assert.False(File.Exists(dir.Path("out/escaped.bin")));
        Assert.False(File.Exists(dir.Path("escaped.bin")));
        Assert.False(File.Exists("/tmp/gansharp-escaped.bin"));
    }

    [Fact]
    public void RealCatalogue_ListsEveryFileWithSizeAndSha256()
    {
        Assert.Equal(["mnist", "fashion-mnist", "cifar10"], DatasetDownloader.Catalogue.Select(s => s.Dataset));
        foreach (var source in DatasetDownloader.Catalogue)
        {
            Assert.True(Uri.TryCreate(source.BaseUrl, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https", source.BaseUrl);
            Assert.NotEmpty(source.Files);
            foreach (var file in source.Files)
            {
                Assert.Matches(new Regex("^[0-9a-f]{64}$"), file.Sha256);
                Assert.True(file.Size > 0, file.Name);
            }
        }
        Assert.Equal(4, DatasetDownloader.Catalogue.Single(s => s.Dataset == "mnist").Files.Count);
        Assert.Equal(4, DatasetDownloader.Catalogue.Single(s => s.Dataset == "fashion-mnist").Files.Count);
        Assert.True(DatasetDownloader.Catalogue.Single(s => s.Dataset == "cifar10").Files.Single().Unpack);
    }

    [Fact]
    public void DefaultFolder_IsTheCacheFolderDataLocatorSearches()
    {
        using var dir = new TempFolder();
        string home = dir.Path("home");
        foreach (var env in new Dictionary<string, string>[] { [], new() { ["XDG_CACHE_HOME"] = dir.Path("xdg") } })
        {
            string? Lookup(string name) => env.TryGetValue(name, out string? v) ? v : null;
            string folder = DatasetDownloader.DefaultFolder("mnist", Lookup, home);
            Assert.Contains(folder, new DataLocator(null, Lookup, home, dir.Path("system")).SearchFolders("mnist").Select(f => f.Folder));
        }
    }

    [Fact]
    public void UnknownDatasetOrBadBaseUrl_IsAnArgumentError()
    {
        using var downloader = new DatasetDownloader();
        Assert.Contains("fashion-mnist", Assert.Throws<ArgumentException>(() => downloader.Source("imagenet")).Message);
        Assert.Throws<ArgumentException>(() => new DatasetDownloader("ftp://example.invalid/"));
    }

    private static byte[] TarGz(IEnumerable<(string Name, byte[] Data)> entries)
    {
        var ms = new MemoryStream();
        using (var gzip = new GZipStream(ms, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip, TarEntryFormat.Pax))
        {
            foreach (var (name, data) in entries)
                tar.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(data) });
        }
        return ms.ToArray();
    }

    /// <summary>A file served by <see cref="LocalServer"/>; chunked leaves out Content-Length.</summary>
    private sealed record Served(byte[] Body, bool Chunked = false);

    /// <summary>
    /// An HTTP server on 127.0.0.1 (a free port) serving fixed bodies under /mirror/ and 404 for anything else.
    /// It stops when disposed, and on its own after 30 seconds at the latest.
    /// </summary>
    private sealed class LocalServer : IDisposable
    {
        private readonly Dictionary<string, Served> _files;
        private readonly HttpListener _listener;
        private readonly CancellationTokenSource _lifetime = new(TimeSpan.FromSeconds(30));
        private int _requests;

        public LocalServer(Dictionary<string, Served> files)
        {
            _files = files;
            for (int attempt = 0; ; attempt++)
            {
                int port = FreePort();
                var listener = new HttpListener();
                listener.Prefixes.Add($"http://127.0.0.1:{port}/");
                try
                {
                    listener.Start();
                    _listener = listener;
                    BaseUrl = $"http://127.0.0.1:{port}/mirror/";
                    break;
                }
                catch (HttpListenerException) when (attempt < 5)
                {
                    listener.Close(); // port taken in between: try another
                }
            }
            _lifetime.Token.Register(Stop);
            _ = Task.Run(Serve);
        }

        public string BaseUrl { get; }

        public int Requests => Volatile.Read(ref _requests);

        public void Dispose()
        {
            Stop();
            _lifetime.Dispose();
        }

        private void Stop()
        {
            try { _listener.Close(); } catch (ObjectDisposedException) { }
        }

        private static int FreePort()
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            int port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            return port;
        }

        private async Task Serve()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try { context = await _listener.GetContextAsync(); }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException) { return; }
                _ = Task.Run(() => Handle(context));
            }
        }

        private void Handle(HttpListenerContext context)
        {
            Interlocked.Increment(ref _requests);
            var response = context.Response;
            try
            {
                string path = context.Request.Url!.AbsolutePath;
                if (!path.StartsWith("/mirror/", StringComparison.Ordinal) || !_files.TryGetValue(path["/mirror/".Length..], out var served))
                {
                    response.StatusCode = 404;
                    response.Close();
                    return;
                }
                if (served.Chunked) response.SendChunked = true;
                else response.ContentLength64 = served.Body.Length;
                response.OutputStream.Write(served.Body);
                response.Close();
            }
            catch (Exception e) when (e is HttpListenerException or IOException or ObjectDisposedException or InvalidOperationException)
            {
                try { response.Abort(); } catch (ObjectDisposedException) { } // the client hung up
            }
        }
    }
}
