namespace GanSharp.Data;

/// <summary>One file of a downloadable dataset: its name under the dataset's base URL, its exact size in bytes and its SHA-256.</summary>
/// <param name="Name">File name, appended to the base URL and used as the name on disk.</param>
/// <param name="Size">Exact size in bytes; a response longer than this is cut off and refused.</param>
/// <param name="Sha256">SHA-256 of the file, 64 hex digits.</param>
/// <param name="Unpack">True for a .tar.gz archive that is unpacked into the target folder (and then deleted).</param>
public sealed record DownloadFile(string Name, long Size, string Sha256, bool Unpack = false);

/// <summary>A downloadable dataset: its <see cref="DataLocator"/> name, the mirror its files are fetched from, and the files.</summary>
/// <param name="Dataset">Dataset name as <see cref="DataLocator"/> knows it (e.g. "mnist").</param>
/// <param name="BaseUrl">Folder URL the file names are appended to.</param>
/// <param name="Files">The files, each with its size and SHA-256.</param>
public sealed record DownloadSource(string Dataset, string BaseUrl, IReadOnlyList<DownloadFile> Files);
