package io.ensign.plugins.internal;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Finds the classes of a jar that call given methods: {@link #EXIT_CALLS}, which end the server's process whoever
 * makes them, and {@link #NATIVE_CALLS}, which load native code that runs outside the JVM's safety. It reads the constant pool of every class file, at any place in
 * the jar and in the jars it holds (Bundle-ClassPath entries, and any other nested jar): every call site, method
 * reference ({@code System::exit}) and method-handle constant refers to a method through a {@code Methodref} entry
 * there, so the pool shows every direct use whatever the class file version. A call through reflection leaves no
 * such entry; the deploy directory's safe start is the net for those. Zip entries are read through the central
 * directory, as the framework reads them, so that no entry can hide from the scan.
 */
final class CallScanner {
    /** One class that refers to a call looked for, e.g. {@code com.acme.Activator}, {@code java.lang.System.exit}. */
    record FoundCall(String className, String call) {
        @Override
        public String toString() {
            return "class " + className + " calls " + call;
        }

        /** Whether the call is one of {@code calls}, given as {@code owner.name} in internal form. */
        boolean isOneOf(Set<String> calls) {
            int name = call.lastIndexOf('.');
            return calls.contains(call.substring(0, name).replace('.', '/') + call.substring(name));
        }
    }

    /** A jar that cannot be checked: a class file the scan cannot read, or more content than it reads. */
    static final class UncheckableJarException extends Exception {
        private static final long serialVersionUID = 1L;

        UncheckableJarException(String message) {
            super(message);
        }
    }

    /** Uncompressed bytes one jar may make the scan read, nested jars included (a zip bomb stops here). */
    static final long MAX_SCANNED_BYTES = 512L * 1024 * 1024;
    /** The largest class file read; the JVM's own limits make real ones far smaller. */
    private static final int MAX_CLASS_BYTES = 16 * 1024 * 1024;
    private static final int MAX_NESTING = 4;
    private static final int MAGIC = 0xCAFEBABE;
    /** The calls that end the process, in internal form. */
    static final Set<String> EXIT_CALLS = Set.of("java/lang/System.exit", "java/lang/Runtime.exit",
            "java/lang/Runtime.halt");
    /** The calls that load a native library into the process, in internal form. */
    static final Set<String> NATIVE_CALLS = Set.of("java/lang/System.load", "java/lang/System.loadLibrary",
            "java/lang/Runtime.load", "java/lang/Runtime.loadLibrary");

    private final Set<String> calls;
    private long budget = MAX_SCANNED_BYTES;

    private CallScanner(Set<String> calls) {
        this.calls = calls;
    }

    /**
     * The uses of {@code calls} (methods as {@code owner.name} in internal form) by the jar's classes, in the order
     * found.
     *
     * @param classPath the jar's Bundle-ClassPath entries, scanned as jars whatever their names
     * @throws IOException when the jar (or one it holds) is no zip
     */
    static List<FoundCall> scan(Path jar, Set<String> classPath, Set<String> calls)
            throws IOException, UncheckableJarException {
        Set<FoundCall> found = new LinkedHashSet<>();
        new CallScanner(calls).scanJar(jar, classPath, 0, found);
        return List.copyOf(found);
    }

    private void scanJar(Path jar, Set<String> classPath, int depth, Set<FoundCall> found)
            throws IOException, UncheckableJarException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            for (Enumeration<? extends ZipEntry> entries = zip.entries(); entries.hasMoreElements(); ) {
                ZipEntry entry = entries.nextElement();
                String name = entry.getName();
                if (entry.isDirectory()) {
                    continue;
                }
                if (name.endsWith(".class")) {
                    try (InputStream in = zip.getInputStream(entry)) {
                        scanClass(readClass(in, name), name, found);
                    }
                } else if (name.endsWith(".jar") || name.endsWith(".zip") || classPath.contains(name)) {
                    scanNested(zip, entry, depth, found);
                }
            }
        }
    }

    /** Scans a jar the jar holds; an entry that is no zip holds no classes the framework would load. */
    private void scanNested(ZipFile zip, ZipEntry entry, int depth, Set<FoundCall> found)
            throws IOException, UncheckableJarException {
        if (depth >= MAX_NESTING) {
            throw new UncheckableJarException("jar " + entry.getName() + " is nested more than " + MAX_NESTING
                    + " deep");
        }
        Path nested = Files.createTempFile("ensign-scan-", ".jar");
        try {
            try (InputStream in = zip.getInputStream(entry); OutputStream out = Files.newOutputStream(nested)) {
                byte[] chunk = new byte[64 * 1024];
                for (int n = in.read(chunk); n >= 0; n = in.read(chunk)) {
                    charge(n, entry.getName());
                    out.write(chunk, 0, n);
                }
            }
            scanJar(nested, Set.of(), depth + 1, found);
        } catch (ZipException notAZip) {
            // nothing to scan in it
        } finally {
            Files.deleteIfExists(nested);
        }
    }

    private byte[] readClass(InputStream in, String name) throws IOException, UncheckableJarException {
        byte[] bytes = in.readNBytes(MAX_CLASS_BYTES + 1);
        if (bytes.length > MAX_CLASS_BYTES) {
            throw new UncheckableJarException("class file " + name + " is larger than " + MAX_CLASS_BYTES + " bytes");
        }
        charge(bytes.length, name);
        return bytes;
    }

    private void charge(long bytes, String name) throws UncheckableJarException {
        budget -= bytes;
        if (budget < 0) {
            throw new UncheckableJarException("the jar holds more than " + MAX_SCANNED_BYTES / (1024 * 1024)
                    + " MiB of content to check (reached at " + name + ")");
        }
    }

    /** Adds the calls looked for that the class file's constant pool refers to. */
    private void scanClass(byte[] bytes, String entryName, Set<FoundCall> found) throws UncheckableJarException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            if (in.readInt() != MAGIC) {
                throw new UncheckableJarException(entryName + " is not a class file");
            }
            in.readUnsignedShort(); // minor version
            in.readUnsignedShort(); // major version
            ConstantPool pool = ConstantPool.read(in);
            in.readUnsignedShort(); // access flags
            String className = pool.className(in.readUnsignedShort()).replace('/', '.');
            for (String call : pool.methodReferences()) {
                if (calls.contains(call)) {
                    found.add(new FoundCall(className, call.replace('/', '.')));
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new UncheckableJarException("class file " + entryName + " cannot be read (" + e + ")");
        }
    }

    /** The entries of a class file's constant pool that name methods: just enough of JVMS 4.4 to resolve them. */
    private record ConstantPool(String[] utf8, int[] first, int[] second, byte[] tags) {
        private static final int UTF8 = 1;
        private static final int CLASS = 7;
        private static final int METHOD_REF = 10;
        private static final int INTERFACE_METHOD_REF = 11;
        private static final int NAME_AND_TYPE = 12;

        static ConstantPool read(DataInputStream in) throws IOException {
            int count = in.readUnsignedShort();
            ConstantPool pool = new ConstantPool(new String[count], new int[count], new int[count], new byte[count]);
            for (int i = 1; i < count; i++) {
                int tag = in.readUnsignedByte();
                pool.tags[i] = (byte) tag;
                switch (tag) {
                    case UTF8 -> pool.utf8[i] = in.readUTF();
                    case 3, 4 -> in.readInt(); // integer, float
                    case 5, 6 -> { // long, double take two entries
                        in.readLong();
                        i++;
                    }
                    case CLASS, 8, 16, 19, 20 -> pool.first[i] = in.readUnsignedShort(); // class, string, method type, module, package
                    case 9, METHOD_REF, INTERFACE_METHOD_REF, NAME_AND_TYPE, 17, 18 -> { // refs, name and type, dynamic
                        pool.first[i] = in.readUnsignedShort();
                        pool.second[i] = in.readUnsignedShort();
                    }
                    case 15 -> { // method handle: kind, reference
                        in.readUnsignedByte();
                        pool.first[i] = in.readUnsignedShort();
                    }
                    default -> throw new IOException("unknown constant pool tag " + tag + " at entry " + i);
                }
            }
            return pool;
        }

        String className(int classEntry) {
            return utf8(first[check(classEntry, CLASS)]);
        }

        /** Every method the pool refers to, as {@code owner.name} in internal form. */
        List<String> methodReferences() {
            List<String> methods = new ArrayList<>();
            for (int i = 1; i < tags.length; i++) {
                if (tags[i] == METHOD_REF || tags[i] == INTERFACE_METHOD_REF) {
                    methods.add(className(first[i]) + "." + utf8(first[check(second[i], NAME_AND_TYPE)]));
                }
            }
            return methods;
        }

        private String utf8(int entry) {
            return utf8[check(entry, UTF8)];
        }

        private int check(int entry, int tag) {
            if (entry <= 0 || entry >= tags.length || tags[entry] != tag) {
                throw new IllegalArgumentException("constant pool entry " + entry + " is not of tag " + tag);
            }
            return entry;
        }
    }
}
