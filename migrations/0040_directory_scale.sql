-- Finding possible duplicate organisations (src/modules/directory/duplicates.ts) compares names
-- only among organisations at the same postcode: this index finds those without reading every
-- organisation, which matters when an import checks thousands of organisations against tens of thousands.
create index organisations_postcode_compact on organisations (upper(replace(postcode, ' ', '')));
