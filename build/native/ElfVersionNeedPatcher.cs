// Shared by the inline MSBuild task in TorchSharpNative.targets (compiled by RoslynCodeTaskFactory) and by the
// tests, so the ELF logic the build runs is the logic the tests check.
#nullable enable
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.Build.Framework;

namespace HwAwareNas.BuildTools
{
    /// <summary>
    /// Reads the symbol-version sections of 64-bit little-endian ELF shared objects and marks chosen version
    /// requirements weak (VER_FLG_WEAK), so the dynamic loader accepts a host library that lacks them.
    /// </summary>
    public static class ElfVersionNeedPatcher
    {
        private const uint ShtGnuVerdef = 0x6ffffffd;
        private const uint ShtGnuVerneed = 0x6ffffffe;
        private const ushort VerFlagWeak = 0x2;

        /// <summary>One version a shared object requires from one of its dependencies.</summary>
        public sealed class VersionNeed
        {
            /// <summary>Creates the record.</summary>
            public VersionNeed(string file, string version, ushort flags, long flagsOffset)
            {
                File = file;
                Version = version;
                Flags = flags;
                FlagsOffset = flagsOffset;
            }

            /// <summary>The dependency's soname, e.g. libstdc++.so.6.</summary>
            public string File { get; }

            /// <summary>The version name, e.g. GLIBCXX_3.4.32.</summary>
            public string Version { get; }

            /// <summary>vna_flags as stored.</summary>
            public ushort Flags { get; }

            /// <summary>File offset of the vna_flags field.</summary>
            public long FlagsOffset { get; }

            /// <summary>Whether the requirement is already weak.</summary>
            public bool IsWeak => (Flags & VerFlagWeak) != 0;
        }

        /// <summary>Lists the version requirements (.gnu.version_r) of an ELF image.</summary>
        public static IReadOnlyList<VersionNeed> ReadVersionNeeds(byte[] elf)
        {
            var result = new List<VersionNeed>();
            foreach (var section in Sections(elf).Where(s => s.Type == ShtGnuVerneed))
            {
                var strtab = SectionAt(elf, section.Link);
                long entry = section.Offset;
                for (var i = 0; i < section.Info; i++)
                {
                    var count = U16(elf, entry + 2);
                    var file = CString(elf, strtab.Offset + U32(elf, entry + 4));
                    long aux = entry + U32(elf, entry + 8);
                    for (var j = 0; j < count; j++)
                    {
                        var flags = U16(elf, aux + 4);
                        var name = CString(elf, strtab.Offset + U32(elf, aux + 8));
                        result.Add(new VersionNeed(file, name, flags, aux + 4));
                        aux += U32(elf, aux + 12);
                    }

                    var next = U32(elf, entry + 12);
                    if (next == 0)
                    {
                        break;
                    }

                    entry += next;
                }
            }

            return result;
        }

        /// <summary>Lists the versions an ELF shared object defines (.gnu.version_d), e.g. GLIBCXX_3.4.30.</summary>
        public static IReadOnlyCollection<string> ReadVersionDefinitions(byte[] elf)
        {
            var result = new HashSet<string>(StringComparer.Ordinal);
            foreach (var section in Sections(elf).Where(s => s.Type == ShtGnuVerdef))
            {
                var strtab = SectionAt(elf, section.Link);
                long entry = section.Offset;
                for (var i = 0; i < section.Info; i++)
                {
                    long aux = entry + U32(elf, entry + 12);
                    result.Add(CString(elf, strtab.Offset + U32(elf, aux)));
                    var next = U32(elf, entry + 16);
                    if (next == 0)
                    {
                        break;
                    }

                    entry += next;
                }
            }

            return result;
        }

        /// <summary>
        /// Marks weak every requirement in <paramref name="elf"/> whose version is in <paramref name="versions"/>;
        /// returns the versions it changed (empty when nothing needed changing, and then the image is untouched).
        /// </summary>
        public static IReadOnlyList<string> MarkWeak(byte[] elf, ICollection<string> versions)
        {
            var changed = new List<string>();
            foreach (var need in ReadVersionNeeds(elf).Where(n => versions.Contains(n.Version) && !n.IsWeak))
            {
                var flags = (ushort)(need.Flags | VerFlagWeak);
                elf[need.FlagsOffset] = (byte)(flags & 0xff);
                elf[need.FlagsOffset + 1] = (byte)(flags >> 8);
                changed.Add(need.Version);
            }

            return changed;
        }

        /// <summary>Whether the bytes are a 64-bit little-endian ELF image (the only kind this reads).</summary>
        public static bool IsElf64LittleEndian(byte[] image) =>
            image.Length > 64 && image[0] == 0x7f && image[1] == (byte)'E' && image[2] == (byte)'L' && image[3] == (byte)'F'
            && image[4] == 2 && image[5] == 1;

        private readonly struct Section
        {
            public Section(uint type, long offset, uint link, uint info)
            {
                Type = type;
                Offset = offset;
                Link = link;
                Info = info;
            }

            public uint Type { get; }

            public long Offset { get; }

            public uint Link { get; }

            public uint Info { get; }
        }

        private static IEnumerable<Section> Sections(byte[] elf)
        {
            if (!IsElf64LittleEndian(elf))
            {
                throw new InvalidDataException("not a 64-bit little-endian ELF image");
            }

            var count = U16(elf, 0x3C);
            for (uint i = 0; i < count; i++)
            {
                yield return SectionAt(elf, i);
            }
        }

        private static Section SectionAt(byte[] elf, uint index)
        {
            long header = (long)U64(elf, 0x28) + (index * (long)U16(elf, 0x3A));
            return new Section(U32(elf, header + 4), (long)U64(elf, header + 0x18), U32(elf, header + 0x28), U32(elf, header + 0x2C));
        }

        private static ushort U16(byte[] b, long at) => (ushort)(b[at] | (b[at + 1] << 8));

        private static uint U32(byte[] b, long at) => (uint)(b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24));

        private static ulong U64(byte[] b, long at) => U32(b, at) | ((ulong)U32(b, at + 4) << 32);

        private static string CString(byte[] b, long at)
        {
            var end = at;
            while (b[end] != 0)
            {
                end++;
            }

            return Encoding.ASCII.GetString(b, (int)at, (int)(end - at));
        }
    }

    /// <summary>
    /// MSBuild task: gives back each input native library, patched into <see cref="OutputDirectory"/> when the
    /// host's libstdc++ lacks a version it requires that is listed in <see cref="WeakenableVersions"/>, and
    /// unchanged otherwise. Metadata (destination sub-paths) is carried over so copy-local, publish and pack use
    /// the patched copy.
    /// </summary>
    public sealed class WeakenMissingElfVersions : Microsoft.Build.Utilities.Task
    {
        /// <summary>The native libraries to check.</summary>
        [Required]
        public ITaskItem[] Files { get; set; } = Array.Empty<ITaskItem>();

        /// <summary>Where patched copies are written (one sub-folder per input, keyed by its path).</summary>
        [Required]
        public string OutputDirectory { get; set; } = string.Empty;

        /// <summary>Versions known to be safe to weaken (only link-time markers), e.g. GLIBCXX_3.4.32.</summary>
        [Required]
        public string[] WeakenableVersions { get; set; } = Array.Empty<string>();

        /// <summary>The host libstdc++ to compare against; empty = search the usual library folders.</summary>
        public string HostLibrary { get; set; } = string.Empty;

        /// <summary>The files to use instead of <see cref="Files"/>, in the same order.</summary>
        [Output]
        public ITaskItem[] Result { get; set; } = Array.Empty<ITaskItem>();

        /// <inheritdoc />
        public override bool Execute()
        {
            var host = string.IsNullOrEmpty(HostLibrary) ? FindHostLibstdcxx() : HostLibrary;
            if (host is null || !File.Exists(host))
            {
                Log.LogMessage(MessageImportance.Low, "HwAwareNas: no host libstdc++.so.6 found; native libraries left as they are.");
                Result = Files;
                return true;
            }

            var hostVersions = ElfVersionNeedPatcher.ReadVersionDefinitions(File.ReadAllBytes(host));
            var result = new List<ITaskItem>();
            foreach (var item in Files)
            {
                result.Add(Process(item, hostVersions) ?? item);
            }

            Result = result.ToArray();
            return !Log.HasLoggedErrors;
        }

        private ITaskItem? Process(ITaskItem item, IReadOnlyCollection<string> hostVersions)
        {
            var source = item.GetMetadata("FullPath");
            var image = File.ReadAllBytes(source);
            if (!ElfVersionNeedPatcher.IsElf64LittleEndian(image))
            {
                return null;
            }

            var missing = ElfVersionNeedPatcher.ReadVersionNeeds(image)
                .Where(n => n.File.StartsWith("libstdc++", StringComparison.Ordinal) && !n.IsWeak && !hostVersions.Contains(n.Version))
                .Select(n => n.Version)
                .ToList();
            if (missing.Count == 0)
            {
                return null;
            }

            var unsafeToWeaken = missing.Except(WeakenableVersions).ToList();
            if (unsafeToWeaken.Count > 0)
            {
                Log.LogWarning(null, "HWNAS9001", null, source, 0, 0, 0, 0,
                    "{0} needs {1} from libstdc++, which this host lacks and which cannot be weakened safely; it may fail to load.",
                    Path.GetFileName(source), string.Join(", ", unsafeToWeaken));
            }

            var toWeaken = missing.Intersect(WeakenableVersions).ToList();
            if (toWeaken.Count == 0)
            {
                return null;
            }

            var folder = Path.Combine(OutputDirectory, StableHash(source));
            var target = Path.Combine(folder, Path.GetFileName(source));
            var changed = ElfVersionNeedPatcher.MarkWeak(image, toWeaken);
            if (!File.Exists(target) || !File.ReadAllBytes(target).SequenceEqual(image))
            {
                // RoslynCodeTaskFactory compiles against netstandard2.0, which has no File.Move(overwrite).
                Directory.CreateDirectory(folder);
                var temp = target + ".tmp";
                File.WriteAllBytes(temp, image);
                if (File.Exists(target))
                {
                    File.Delete(target);
                }

                File.Move(temp, target);
                Log.LogMessage(MessageImportance.Normal, "HwAwareNas: marked {0} weak in a copy of {1} (host libstdc++ lacks it).",
                    string.Join(", ", changed), Path.GetFileName(source));
            }

            var patched = new Microsoft.Build.Utilities.TaskItem(target);
            item.CopyMetadataTo(patched);
            return patched;
        }

        private static string StableHash(string text)
        {
            // FNV-1a: a short, stable folder name per source path, without pulling in crypto APIs.
            ulong hash = 14695981039346656037;
            foreach (var c in text)
            {
                hash = (hash ^ c) * 1099511628211;
            }

            return hash.ToString("x16", System.Globalization.CultureInfo.InvariantCulture);
        }

        private static string? FindHostLibstdcxx()
        {
            var folders = (Environment.GetEnvironmentVariable("LD_LIBRARY_PATH") ?? string.Empty)
                .Split(new[] { ':' }, StringSplitOptions.RemoveEmptyEntries)
                .Concat(new[]
                {
                    "/usr/lib/x86_64-linux-gnu", "/lib/x86_64-linux-gnu", "/usr/lib/aarch64-linux-gnu", "/lib/aarch64-linux-gnu",
                    "/usr/lib64", "/lib64", "/usr/lib", "/lib",
                });
            return folders.Select(f => Path.Combine(f, "libstdc++.so.6")).FirstOrDefault(File.Exists);
        }
    }
}
