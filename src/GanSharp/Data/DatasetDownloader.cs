using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using GanSharp.Figures;

namespace GanSharp.Data;

/// <summary>
/// Downloads mnist, fashion-mnist and cifar10 into the folder <see cref="DataLocator"/> searches
/// (<c>$XDG_CACHE_HOME/gansharp/&lt;name&gt;</c> or <c>~/.cache/gansharp/&lt;name&gt;</c>) or an explicit folder.
/// Each file is streamed into a temporary file next to its destination, never read past its known
/// size, hashed while it streams, and moved into place only when its SHA-256 matches; otherwise the
/// temporary file is deleted and a <see cref="DataFormatException"/> names the URL and both hashes.
/// The CIFAR-10 archive is unpacked (entries with absolute paths or '..' are refused) and then deleted.
/// </summary>
public sealed class DatasetDownloader : IDisposable
{
    // Sizes and SHA-256 sums are the published ones from TensorFlow Datasets
    // (github.com/tensorflow/datasets, tensorflow_datasets/url_checksums/mnist.txt, fashion_mnist.txt and
    // cifar10.txt; lines "URL <tab> size <tab> sha256"). The MNIST sums there are for the cvdf-datasets
    // mirror; torchvision's prototype MNIST dataset (pytorch/vision, torchvision/prototype/datasets/_builtin/mnist.py)
    // lists the same four SHA-256 sums for the original yann.lecun.com files, so the mirrors serve identical bytes
    // (--base-url https://ossci-datasets.s3.amazonaws.com/mnist/ works too).

    /// <summary>The built-in datasets, their canonical mirrors, sizes and SHA-256 sums.</summary>
    public static IReadOnlyList<DownloadSource> Catalogue { get; } =
    [
        new("mnist", "https://storage.googleapis.com/cvdf-datasets/mnist/",
        [
            new("train-images-idx3-ubyte.gz", 9_912_422, "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609"),
            new("train-labels-idx1-ubyte.gz", 28_881, "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c"),
            new("t10k-images-idx3-ubyte.gz", 1_648_877, "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6"),
            new("t10k-labels-idx1-ubyte.gz", 4_542, "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6"),
        ]),
        new("fashion-mnist", "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
        [
            new("train-images-idx3-ubyte.gz", 26_421_880, "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84"),
            new("train-labels-idx1-ubyte.gz", 29_515, "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845"),
            new("t10k-images-idx3-ubyte.gz", 4_422_102, "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073"),
            new("t10k-labels-idx1-ubyte.gz", 5_148, "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5"),
        ]),
        new("cifar10", "https://www.cs.toronto.edu/~kriz/",
        [
            new("cifar-10-binary.tar.gz", 170_052_171, "c4a38c50a1bc5f3a1c5537f2155ab9d68f9f25eb1ed8d9ddda3db29a59bca1dd", Unpack: true),
        ]),
    ];

    private readonly IReadOnlyList<DownloadSource> _catalogue;
    private readonly Uri? _baseUrl;
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;

    /// <param name="baseUrl">Replaces every dataset's mirror URL (a local server in tests, another mirror); null keeps the catalogue's.</param>
    /// <param name="catalogue">The datasets offered; defaults to <see cref="Catalogue"/>.</param>
    /// <param name="http">The client to use (not disposed here); defaults to a private one.</param>
    public DatasetDownloader(string? baseUrl = null, IReadOnlyList<DownloadSource>? catalogue = null, HttpClient? http = null)
    {
        _catalogue = catalogue ?? Catalogue;
        if (!string.IsNullOrEmpty(baseUrl)) _baseUrl = CheckBaseUrl(baseUrl);
        _ownsHttp = http is null;
        _http = http ?? new HttpClient(new SocketsHttpHandler { AutomaticDecompression = System.Net.DecompressionMethods.None });
        if (_ownsHttp) _http.DefaultRequestHeaders.UserAgent.ParseAdd("GanSharp");
    }

    /// <summary>The dataset names this downloader offers.</summary>
    public IReadOnlyList<string> Names => [.. _catalogue.Select(s => s.Dataset)];

    /// <summary>The catalogue entry for <paramref name="name"/>; an <see cref="ArgumentException"/> lists the offered names otherwise.</summary>
    public DownloadSource Source(string name) =>
        _catalogue.FirstOrDefault(s => s.Dataset == name)
        ?? throw new ArgumentException($"No download for dataset '{name}' (available: {string.Join(", ", Names)}).", nameof(name));

    /// <summary>
    /// The user cache folder <see cref="DataLocator"/> searches for <paramref name="name"/>:
    /// <c>$XDG_CACHE_HOME/gansharp/&lt;name&gt;</c> when XDG_CACHE_HOME is an absolute path, else <c>~/.cache/gansharp/&lt;name&gt;</c>.
    /// </summary>
    public static string DefaultFolder(string name, Func<string, string?>? environment = null, string? userProfile = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        environment ??= Environment.GetEnvironmentVariable;
        string root = environment("XDG_CACHE_HOME") is { Length: > 0 } xdg && Path.IsPathRooted(xdg)
            ? xdg
            : Path.Combine(userProfile ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return Path.Combine(root, "gansharp", name);
    }

    /// <summary>
    /// Downloads (and for CIFAR-10 unpacks) <paramref name="name"/> into <paramref name="folder"/>
    /// (default: <see cref="DefaultFolder"/>) and returns the folder. Files already there with the right
    /// SHA-256 are kept, and a built-in dataset whose every split is already in the folder is not fetched again.
    /// </summary>
    /// <param name="log">Receives one line per step ("downloading URL", "unpacking ...").</param>
    /// <param name="progress">Receives (bytes so far, expected total) for the file being downloaded.</param>
    /// <exception cref="DataFormatException">A file's hash or size is wrong, or the archive holds an unsafe entry.</exception>
    /// <exception cref="IOException">The server answered with an error or could not be reached.</exception>
    public async Task<string> DownloadAsync(string name, string? folder = null, Action<string>? log = null,
        Action<long, long?>? progress = null, CancellationToken cancellationToken = default)
    {
        DownloadSource source = Source(name);
        folder = Path.GetFullPath(string.IsNullOrEmpty(folder) ? DefaultFolder(name) : folder);
        if (IsComplete(name, folder))
        {
            log?.Invoke($"{name} is already in {folder}");
            return folder;
        }
        Directory.CreateDirectory(folder);
        Uri baseUrl = _baseUrl ?? CheckBaseUrl(source.BaseUrl);
        foreach (DownloadFile file in source.Files)
        {
            CheckFileName(file.Name);
            string target = Path.Combine(folder, file.Name);
            var url = new Uri(baseUrl, Uri.EscapeDataString(file.Name));
            if (File.Exists(target) && new FileInfo(target).Length == file.Size && HashFile(target) == Normalize(file.Sha256))
                log?.Invoke($"{file.Name} is already downloaded");
            else
            {
                log?.Invoke($"downloading {url} ({file.Size:N0} bytes)");
                await DownloadFileAsync(url, file, target, progress, cancellationToken).ConfigureAwait(false);
            }
            if (file.Unpack)
            {
                log?.Invoke($"unpacking {file.Name}");
                Unpack(target, folder);
                File.Delete(target);
            }
        }
        return folder;
    }

    /// <summary>Fetches one file to <paramref name="target"/>, verifying size and SHA-256 before it is moved into place.</summary>
    public async Task DownloadFileAsync(Uri url, DownloadFile file, string target, Action<long, long?>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(file);
        string expected = Normalize(file.Sha256);
        try
        {
            using HttpResponseMessage response = await _http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
                throw new IOException($"Download of {url} failed: HTTP {(int)response.StatusCode} {response.ReasonPhrase}.");
            if (response.Content.Headers.ContentLength is long announced && announced > file.Size)
                throw new DataFormatException($"{url}: the server announces {announced:N0} bytes, more than the expected {file.Size:N0}; refused.");

            using var output = AtomicFile.Create(target); // deleted on dispose unless committed
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            await using Stream input = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            byte[] buffer = new byte[1 << 16];
            long total = 0;
            progress?.Invoke(0, file.Size);
            int read;
            while ((read = await input.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                total += read;
                if (total > file.Size)
                    throw new DataFormatException($"{url}: the response is longer than the expected {file.Size:N0} bytes; the download was cut off and discarded.");
                hash.AppendData(buffer, 0, read);
                await output.Stream.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                progress?.Invoke(total, file.Size);
            }
            string actual = Convert.ToHexStringLower(hash.GetHashAndReset());
            if (total != file.Size || actual != expected)
                throw new DataFormatException(
                    $"{url}: SHA-256 mismatch: expected {expected}, got {actual} ({total:N0} of {file.Size:N0} bytes); the download was discarded.");
            output.Commit();
        }
        catch (HttpRequestException e)
        {
            throw new IOException($"Download of {url} failed: {e.Message}", e);
        }
    }

    public void Dispose()
    {
        if (_ownsHttp) _http.Dispose();
    }

    /// <summary>Unpacks a .tar.gz into <paramref name="folder"/>: directories and regular files only; absolute or '..' paths are refused.</summary>
    internal static void Unpack(string archive, string folder)
    {
        string root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(folder)) + Path.DirectorySeparatorChar;
        using var gzip = new GZipStream(File.OpenRead(archive), CompressionMode.Decompress);
        using var tar = new TarReader(gzip);
        while (tar.GetNextEntry() is { } entry)
        {
            string name = entry.Name;
            if (name.Length == 0 || Path.IsPathRooted(name) || name[0] is '/' or '\\' || name.Split('/', '\\').Contains(".."))
                throw DataFormatException.In(archive, $"entry '{name}' has an absolute path or '..'; refused.");
            string path = Path.GetFullPath(Path.Combine(root, name));
            if (!path.StartsWith(root, StringComparison.Ordinal) && path + Path.DirectorySeparatorChar != root)
                throw DataFormatException.In(archive, $"entry '{name}' points outside {root}; refused.");
            switch (entry.EntryType)
            {
                case TarEntryType.Directory:
                    Directory.CreateDirectory(path);
                    break;
                case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                    using (var output = AtomicFile.Create(path))
                    {
                        entry.DataStream?.CopyTo(output.Stream);
                        output.Commit();
                    }
                    break;
                default: // links, devices, metadata: not needed for the datasets, never followed
                    break;
            }
        }
    }

    // True when name is a built-in layout and every split is already in folder itself.
    private static bool IsComplete(string name, string folder)
    {
        if (!DataLocator.KnownNames.Contains(name) || !Directory.Exists(folder)) return false;
        string nowhere = Path.Combine(folder, ".gansharp-none"); // keeps the locator from looking anywhere else
        var locator = new DataLocator(folder, _ => null, userProfile: nowhere, systemRoot: nowhere);
        return DataLocator.Splits(name).All(split => locator.FindFolder(name, split) == folder);
    }

    private static string HashFile(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private static string Normalize(string sha256) => sha256.Trim().ToLowerInvariant();

    private static Uri CheckBaseUrl(string baseUrl)
    {
        if (!Uri.TryCreate(baseUrl.EndsWith('/') ? baseUrl : baseUrl + "/", UriKind.Absolute, out Uri? uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            throw new ArgumentException($"Base URL '{baseUrl}' is not an absolute http:// or https:// URL.", nameof(baseUrl));
        return uri;
    }

    private static void CheckFileName(string name)
    {
        if (string.IsNullOrEmpty(name) || name is "." or ".." || name.IndexOfAny(['/', '\\']) >= 0 || name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0)
            throw new ArgumentException($"Download file name '{name}' must be a plain file name.", nameof(name));
    }
}
