package io.ensign.validation.internal;

/**
 * An RFC 6901 JSON pointer, built one reference token at a time.
 *
 * @param text the pointer as violations report it, "" for the whole document
 */
record JsonPointer(String text) {
    static final JsonPointer ROOT = new JsonPointer("");

    /** The pointer to a member of the object this pointer points to. */
    JsonPointer child(String name) {
        return new JsonPointer(text + "/" + name.replace("~", "~0").replace("/", "~1"));
    }

    /** The pointer to an element of the array this pointer points to. */
    JsonPointer child(int index) {
        return new JsonPointer(text + "/" + index);
    }

    @Override
    public String toString() {
        return text;
    }
}
