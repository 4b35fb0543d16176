/** libvirt's typed parameter list (virTypedParameter[]), as a plain record. */
export type TypedParamValue = number | bigint | string | boolean;
export type TypedParams = Record<string, TypedParamValue>;
