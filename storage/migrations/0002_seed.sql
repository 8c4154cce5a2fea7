-- The four strategic axes and the founding organizations of CLIA.
INSERT INTO axes (code, position) VALUES
    ('innovation', 1), ('talent', 2), ('leadership', 3), ('globalization', 4);

INSERT INTO organizations (name, sector, is_founding) VALUES
    ('Nissan Mexicana', 'oem', 1),
    ('Flex', 'tier1', 1),
    ('Continental', 'tier1', 1),
    ('Marelli', 'tier1', 1),
    ('Eaton', 'tier1', 1),
    ('Frío Express', 'supplier', 1),
    ('Telas Laprotex', 'supplier', 1),
    ('QAS México', 'supplier', 1),
    ('Daelpa Tecno', 'supplier', 1),
    ('AP Controles', 'supplier', 1),
    ('Mextamp', 'supplier', 1),
    ('AMINSA', 'supplier', 1),
    ('02X', 'supplier', 1),
    ('Lobo 10 & Company', 'supplier', 1),
    ('Ultra Group Mexicana', 'supplier', 1),
    ('SEDEC', 'government', 1),
    ('Universidad Panamericana', 'academia', 1),
    ('Tecnológico de Monterrey', 'academia', 1);
