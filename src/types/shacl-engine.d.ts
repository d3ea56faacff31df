// The part of shacl-engine (1.1) that src/convert/validate-shacl.ts uses; the package ships no types.
declare module 'shacl-engine' {
  import type { DataFactory, Literal, NamedNode, Quad, Term } from '@rdfjs/types';

  /** What the engine reads of a dataset. */
  interface ShaclDataset {
    readonly size: number;
    match(subject?: Term | null, predicate?: Term | null, object?: Term | null, graph?: Term | null): Iterable<Quad> & { readonly size: number };
  }

  /** One step of a property path: `start` 'object' is an inverse step. */
  interface PathStep {
    quantifier: 'one' | 'oneOrMore' | 'zeroOrMore' | 'zeroOrOne';
    start: 'subject' | 'object';
    end: 'subject' | 'object';
    predicates: Term[];
  }

  /** A grapoi pointer: the result's nodes are its `term`s. */
  interface Pointer {
    readonly term: Term;
    readonly terms: Term[];
  }

  interface ValidationResult {
    focusNode: Pointer;
    path: PathStep[] | null;
    value?: Pointer;
    severity: NamedNode;
    constraintComponent: NamedNode;
    readonly message: Literal[];
  }

  interface ValidationReport {
    readonly conforms: boolean;
    results: ValidationResult[];
  }

  export class Validator {
    constructor(shapes: ShaclDataset, options: { factory: DataFactory; debug?: boolean; details?: boolean; trace?: boolean; coverage?: boolean });
    validate(data: { dataset: ShaclDataset; terms?: Iterable<Term> }): Promise<ValidationReport>;
  }
}
