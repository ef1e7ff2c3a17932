package io.ensign.api.catalog;

import java.util.List;

import io.ensign.api.model.Flag;
import io.ensign.api.model.Segment;

/**
 * What {@link FlagCatalog#createAll} stored.
 *
 * @param segments the segments created, in the order given
 * @param flags    the flags created, in the order given
 */
public record CreatedAll(List<WriteResult<Segment>> segments, List<WriteResult<Flag>> flags) {
    public CreatedAll {
        segments = List.copyOf(segments);
        flags = List.copyOf(flags);
    }
}
