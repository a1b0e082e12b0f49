package dev.parley.bench.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * The Parley jar without Netty's io_uring transport, so that Reactor Netty falls back to epoll: the
 * same build on the other native transport, to measure one against the other in the same run.
 */
public final class EpollVariant {

    private static final String IO_URING = "io_uring";
    private static final String CLASSPATH_INDEX = "BOOT-INF/classpath.idx";

    private EpollVariant() {
    }

    /** Writes the variant of {@code jar} to {@code target} and returns it. */
    public static Path of(Path jar, Path target) {
        try (ZipFile source = new ZipFile(jar.toFile());
             ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(target))) {
            Enumeration<? extends ZipEntry> entries = source.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                if (entry.getName().contains(IO_URING)) {
                    continue;
                }
                byte[] content;
                try (InputStream in = source.getInputStream(entry)) {
                    content = in.readAllBytes();
                }
                if (entry.getName().equals(CLASSPATH_INDEX)) {
                    content = withoutIoUring(content);
                }
                out.putNextEntry(copyOf(entry, content));
                out.write(content);
                out.closeEntry();
            }
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot derive the epoll variant of " + jar, e);
        }
    }

    /** Keeps each entry's method: Spring Boot needs its nested jars stored, not deflated. */
    private static ZipEntry copyOf(ZipEntry entry, byte[] content) {
        ZipEntry copy = new ZipEntry(entry.getName());
        copy.setMethod(entry.getMethod());
        copy.setTime(entry.getTime());
        if (entry.getMethod() == ZipEntry.STORED) {
            CRC32 crc = new CRC32();
            crc.update(content);
            copy.setSize(content.length);
            copy.setCompressedSize(content.length);
            copy.setCrc(crc.getValue());
        }
        return copy;
    }

    private static byte[] withoutIoUring(byte[] index) {
        StringBuilder kept = new StringBuilder();
        for (String line : new String(index, StandardCharsets.UTF_8).split("\n")) {
            if (!line.contains(IO_URING)) {
                kept.append(line).append('\n');
            }
        }
        return kept.toString().getBytes(StandardCharsets.UTF_8);
    }
}
