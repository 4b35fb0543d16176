/**
 * libvirt-python 9.0's public surface (`api/python/libvirt-python-9.0.json`, written by
 * `scripts/extract-libvirt-python-surface.py`): its classes, methods with their argument lists,
 * module functions and constants. The Python emitter gives every method libvirt-python's
 * signature and binds it to the call of api/ that carries the same Python name.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const SURFACE_FILE = 'api/python/libvirt-python-9.0.json';

/** One parameter: its name and, when optional, its default as Python source (`None`, `0`). */
export interface SurfaceParam {
  name: string;
  default?: string;
}

/** One method or function: its parameters (self excluded) and the C function libvirt-python calls. */
export interface SurfaceMethod {
  params: SurfaceParam[];
  c: string | null;
}

export interface PythonSurface {
  classes: Record<string, { methods: Record<string, SurfaceMethod> }>;
  functions: Record<string, SurfaceMethod>;
  constants: Record<string, number | string>;
}

export function loadSurface(root: string): PythonSurface {
  return JSON.parse(fs.readFileSync(path.join(root, SURFACE_FILE), 'utf8')) as PythonSurface;
}
