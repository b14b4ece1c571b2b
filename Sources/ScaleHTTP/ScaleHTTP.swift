// ScaleHTTP: libcurl easy+multi; the only importer of CCurl.
