package io.ensign.migration.internal;

/** JSON pointers into the peers' files. */
final class Pointers {
    private Pointers() {
    }

    /** The pointer to a member of the object at {@code parent}. */
    static String member(String parent, String name) {
        return parent + "/" + name.replace("~", "~0").replace("/", "~1");
    }

    /** The pointer to an element of the array at {@code parent}. */
    static String element(String parent, int index) {
        return parent + "/" + index;
    }
}
